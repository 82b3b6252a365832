import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';

import { ROUTES } from '../../auth/provider/routes.ts';
import type { Config } from '../../config/config.ts';
import type { RegistrationEndpoint } from './register-software.ts';

/**
 * The bank's registration endpoint on the mutual-TLS listener, as a partner reaches it: through
 * `MTLS_BASE_URL` (a load balancer, when there is one), trusting the system's CAs and, where the
 * server runs on the development PKI, its CA (read once, at the first registration).
 */
export function registrationEndpoint(config: Pick<Config, 'issuer' | 'mtlsBaseUrl' | 'certsDir' | 'tls'>): RegistrationEndpoint {
  let trusted: Promise<string[]> | undefined;
  return {
    issuer: config.issuer,
    url: `${config.mtlsBaseUrl}${ROUTES.registration}`,
    trustedCas() {
      trusted ??= config.tls.certFile
        ? Promise.resolve([...rootCertificates])
        : readFile(join(config.certsDir, 'dev-ca.pem'), 'utf8').then((devCa) => [...rootCertificates, devCa]);
      return trusted;
    },
  };
}
