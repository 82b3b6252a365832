import type { Config } from '../config/config.ts';
import { describeStoreLocation } from '../db/store-location.ts';
import type { Portcullis } from './start.ts';

/** What a start prints: the URLs of the listeners it opened, the store, and in development the material and logins to try it with. */
export function startupSummary(config: Config, portcullis: Pick<Portcullis, 'roles' | 'urls' | 'secrets' | 'bankSummary' | 'devOperator'>, workers = 1): string {
  const { urls, devOperator } = portcullis;
  const lines = ['', `Portcullis is running (roles: ${portcullis.roles.join(', ')}${workers > 1 ? `; ${workers} worker processes` : ''}).`];
  if (urls.browser && portcullis.roles.includes('portal')) lines.push(`  Developer portal:                        ${config.issuer}/`);
  if (urls.browser && portcullis.roles.includes('console')) {
    lines.push(`  Ops console:                             ${config.issuer}/console${devOperator ? `  ${devOperator.email} / ${devOperator.password} (first sign-in enrols your authenticator app)` : ''}`);
  }
  if (urls.browser && portcullis.roles.includes('auth')) {
    lines.push(
      `  Browser (authorization, login, consent): ${config.issuer}`,
      `  Discovery:                               ${config.issuer}/.well-known/openid-configuration`,
      `  Customers' Connected apps:               ${config.issuer}/connected-apps`,
    );
  }
  if (urls.partner) {
    if (portcullis.roles.includes('auth')) lines.push(`  Partner mutual TLS (token, PAR, DCR):    ${config.mtlsBaseUrl}`);
    if (portcullis.roles.includes('gateway')) lines.push(`  Open Banking APIs (consents, resources): ${config.mtlsBaseUrl}/open-banking/v3.1/{aisp,pisp,cbpii}/...`);
  }
  if (urls.public) lines.push(`  Gateway, public APIs (API keys, OAuth):  ${config.gatewayBaseUrl}`);
  if (urls.admin) {
    lines.push(`  Admin API (bearer ADMIN_TOKEN):          ${urls.admin}/admin/v1 (OpenAPI at /admin/v1/openapi.json; metrics at /metrics)`);
    if (config.env !== 'production') lines.push(`  Admin token (development):               ${portcullis.secrets.adminToken}`);
  }
  lines.push(`  Store:                                   ${describeStoreLocation(config)}`);
  if (config.env !== 'production') {
    lines.push(
      `  Dev CA (trust it to avoid TLS warnings): ${config.certsDir}/dev-ca.pem`,
      `  Sample partner certificate:              ${config.certsDir}/sample-client.pem (+ .key)`,
    );
  }
  lines.push(...portcullis.bankSummary);
  return lines.join('\n');
}
