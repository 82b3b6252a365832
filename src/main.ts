import { ConfigError, loadConfig } from './config/config.ts';
import { describeStoreLocation } from './db/store-location.ts';
import { createLogger } from './observability/logger.ts';
import { SANDBOX_CUSTOMERS } from '../sandbox/customers.ts';
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
const portcullis = await startPortcullis(config, logger);

const lines = [
  '',
  'Portcullis is running.',
  `  Browser (authorization, login, consent): ${config.issuer}`,
  `  Discovery:                               ${config.issuer}/.well-known/openid-configuration`,
  `  Customers' Connected apps:               ${config.issuer}/connected-apps`,
  `  Partner mutual TLS (token, PAR, DCR):    ${config.mtlsBaseUrl}`,
  `  Consent API:                             ${config.mtlsBaseUrl}/open-banking/v3.1/{aisp,pisp,cbpii}/...`,
  `  Store:                                   ${describeStoreLocation(config)}`,
];
if (config.env !== 'production') {
  lines.push(
    `  Dev CA (trust it to avoid TLS warnings): ${config.certsDir}/dev-ca.pem`,
    `  Sample partner certificate:              ${config.certsDir}/sample-client.pem (+ .key)`,
    `  Sandbox directory JWKS:                  ${config.certsDir}/directory/jwks.json`,
    '  Sandbox customers (username / password):',
    ...SANDBOX_CUSTOMERS.map((customer) => `    ${customer.username} / ${customer.password}`),
  );
}
console.log(lines.join('\n'));

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  await portcullis.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
