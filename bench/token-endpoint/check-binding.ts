import { signClientAssertion, tokenRequestBody } from './assertion-pool.ts';
import type { BenchClient } from './bench-clients.ts';
import { connectTo, postTokenRequest, type ClientTls } from './drive-load.ts';

/**
 * Before anything is timed, proves a server does the work being compared: a grant with the client
 * certificate succeeds with a Bearer token, and the same client without a certificate is refused
 * (RFC 8705 §3: the token would have nothing to be bound to). Throws otherwise.
 */
export async function checkBinding(name: string, tokenUrl: string, issuer: string, client: BenchClient, tls: ClientTls): Promise<void> {
  for (const withCertificate of [true, false]) {
    const { client: connection, path } = connectTo(tokenUrl, withCertificate ? tls : { caPem: tls.caPem });
    try {
      const body = tokenRequestBody(client, await signClientAssertion(client, issuer));
      const { status, text } = await postTokenRequest(connection, path, body);
      const granted = status === 200 && /"token_type":"Bearer"/i.test(text);
      if (granted !== withCertificate) {
        throw new Error(`${name} ${client.alg}: ${withCertificate ? 'a grant with the client certificate failed' : 'a grant without a client certificate succeeded'} (HTTP ${status}: ${text.slice(0, 300)})`);
      }
    } finally {
      await connection.close();
    }
  }
}
