import { ConfigError, loadConfig } from './config/config.ts';
import { describeStoreLocation } from './db/store-location.ts';
import { createLogger } from './observability/logger.ts';
import { startPortcullis } from './server/start.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(78);
}
const logger = createLogger(config.logLevel);
let portcullis;
try {
  portcullis = await startPortcullis(config, logger);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(78);
}

const { urls } = portcullis;
const lines = ['', `Portcullis is running (roles: ${portcullis.roles.join(', ')}).`];
if (urls.browser) {
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
console.log(lines.join('\n'));

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  await portcullis!.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
