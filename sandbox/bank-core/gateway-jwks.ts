import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';

import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { Agent, fetch as undiciFetch } from 'undici';

import { ROUTES } from '../../src/auth/provider/routes.ts';
import type { Config } from '../../src/config/config.ts';

/**
 * The gateway's public keys as any upstream of it gets them: the issuer's published JWKS, over
 * HTTPS. jose keeps them and fetches again when an identity names a kid it has not seen, so a key
 * rotation needs nothing here. TLS trusts the system's CAs and, where the server runs on the
 * development PKI, its CA (read at the first fetch: on a first start it is made after the bank).
 */
export function gatewayJwks(config: Config): JWTVerifyGetKey {
  let dispatcher: Agent | undefined;
  const trusted = async () => {
    if (dispatcher) return dispatcher;
    const devCa = config.tls.certFile ? [] : [await readFile(join(config.certsDir, 'dev-ca.pem'), 'utf8')];
    dispatcher = new Agent({ connect: { ca: [...rootCertificates, ...devCa] } });
    return dispatcher;
  };
  return createRemoteJWKSet(new URL(`${config.issuer}${ROUTES.jwks}`), {
    [customFetch]: async (url, options) => (await undiciFetch(url, { ...(options as Parameters<typeof undiciFetch>[1]), dispatcher: await trusted() })) as unknown as Response,
  });
}
