import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Agent, fetch as undiciFetch } from 'undici';

import { DemoFailed } from './demo-failure.ts';

/**
 * The demo partner's HTTP client. It trusts the development CA (which issued the bank's TLS
 * certificate) and presents the partner's transport certificate on every connection: the token endpoint binds access tokens to that certificate
 * (RFC 8705 §3), so every call that uses one must come over a connection showing the same one.
 */

export type PartnerFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Reads a file of the development PKI, or says how to get one. */
export async function readDevPkiFile(certsDir: string, name: string): Promise<string> {
  try {
    return await readFile(join(certsDir, name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new DemoFailed(`${join(certsDir, name)} is missing: start Portcullis once (npm start) to create the development PKI, with the same CERTS_DIR`);
  }
}

/** A fetch over TLS that trusts the dev CA of `certsDir` and presents the partner's transport certificate. */
export async function createPartnerFetch(certsDir: string, transport: { certificatePem: string; privateKeyPem: string }): Promise<PartnerFetch> {
  const ca = await readDevPkiFile(certsDir, 'dev-ca.pem');
  const dispatcher = new Agent({ connect: { ca, cert: transport.certificatePem, key: transport.privateKeyPem } });
  return async function partnerFetch(url, init = {}) {
    // undici's own fetch, because only it takes an undici Agent; its Response is the standard one.
    return (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher })) as unknown as Response;
  };
}
