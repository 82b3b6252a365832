import { Agent, fetch as undiciFetch } from 'undici';

export interface TlsIdentity {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * A fetch that trusts the dev CA and, when given one, presents a client certificate: what a
 * partner's HTTP client does against the mutual-TLS listener.
 */
export function tlsFetch(caPem: string, identity?: TlsIdentity): typeof fetch {
  const dispatcher = new Agent({ connect: { ca: caPem, ...(identity ? { cert: identity.certificatePem, key: identity.privateKeyPem } : {}) } });
  return ((input: string | URL | Request, init?: RequestInit) => undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
}
