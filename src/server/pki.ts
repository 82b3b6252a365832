import { readFileSync } from 'node:fs';

import type { Config } from '../config/config.ts';
import { ensureDevPki } from '../pki/dev-pki.ts';
import { splitPemBundle } from '../pki/pem-bundle.ts';
import type { ServerCredentials } from './tls-options.ts';

/** The listeners' TLS material: the server's certificate, and the trust anchors for client certificates. */
export interface ListenerPki {
  server: ServerCredentials;
  trustAnchors: string[];
}

/**
 * The configured certificate and CA, or the development PKI under `CERTS_DIR` for what is not
 * configured (with a warning). Without `CLIENT_CA_FILE`, client certificates chain to the
 * development CA or to one of `sandboxClientCas` (the bank integration's, a sandbox directory's).
 */
export async function loadListenerPki(config: Config, warn: (message: string) => void, sandboxClientCas: readonly string[] = []): Promise<ListenerPki> {
  const hostnames = [...new Set([config.issuer, config.mtlsBaseUrl, config.gatewayBaseUrl].map((url) => new URL(url).hostname))];
  const needsDev = !config.tls.certFile || !config.tls.clientCaFile;
  const dev = needsDev ? await ensureDevPki(config.certsDir, hostnames) : undefined;
  if (dev) warn(`DEVELOPMENT PKI IN USE (${config.certsDir}): its CA key is on disk; never use it for real partners.`);
  const server = config.tls.certFile && config.tls.keyFile
    ? { certificatePem: readFileSync(config.tls.certFile, 'utf8'), privateKeyPem: readFileSync(config.tls.keyFile, 'utf8') }
    : { certificatePem: dev!.serverCertificatePem, privateKeyPem: dev!.serverPrivateKeyPem };
  const trustAnchors = config.tls.clientCaFile ? splitPemBundle(readFileSync(config.tls.clientCaFile, 'utf8')) : [dev!.caCertificatePem, ...sandboxClientCas];
  return { server, trustAnchors };
}
