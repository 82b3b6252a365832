import { Client } from 'undici';

import type { AssertionPool, TokenRequestBody } from './assertion-pool.ts';

/** The client's side of mutual TLS: the dev CA to trust, and the certificate to present. */
export interface ClientTls {
  caPem: string;
  certificatePem?: string;
  privateKeyPem?: string;
}

export interface LoadTarget {
  tokenUrl: string;
  tls: ClientTls;
  /** Connections, each with one request in flight at a time. */
  concurrency: number;
  /** Pre-signed requests; when it runs dry during a slice, requests are signed inline (and counted: it skews the figures). */
  pool: AssertionPool;
}

/** What one slice of load did. */
export interface SliceResult {
  /** 200 responses that completed inside the slice's time. */
  grants: number;
  /** Every 200 response of the slice, the drain after its end included. */
  completed: number;
  /** Latency of each counted grant, ms. */
  latencies: number[];
  /** Non-200 responses and transport failures, by status or error code. */
  errors: Record<string, number>;
  errorSample: string | undefined;
  /** Requests that had to be signed inline because the pool was used up. */
  signedInline: number;
}

export interface LoadSession {
  /** Runs the connections closed-loop for `ms`, waits for the requests in flight, and reports. */
  runSlice(ms: number): Promise<SliceResult>;
  close(): Promise<void>;
}

/**
 * A keep-alive connection to the server, over loopback only: the URL names `localhost` (which the
 * server's certificate and the issuer use) but the socket goes to 127.0.0.1.
 */
export function connectTo(tokenUrl: string, tls: ClientTls): { client: Client; path: string } {
  const url = new URL(tokenUrl);
  const client = new Client(`https://127.0.0.1:${url.port}`, {
    pipelining: 1,
    // Longer than any pause between two slices of the same server.
    keepAliveTimeout: 60_000,
    // A stalled server fails its requests (counted as errors) instead of stalling the benchmark.
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
    connect: { servername: url.hostname, ca: tls.caPem, cert: tls.certificatePem, key: tls.privateKeyPem },
  });
  return { client, path: url.pathname };
}

/** POSTs one token request; resolves to the status and body text. */
export async function postTokenRequest(client: Client, path: string, body: TokenRequestBody): Promise<{ status: number; text: string }> {
  const response = await client.request({ method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: response.statusCode, text: await response.body.text() };
}

/**
 * Opens `concurrency` connections to one server, kept across slices, so that the benchmark can
 * interleave short slices of two servers: noise from the rest of the machine then falls on both
 * alike. Requests still in flight when a slice ends are awaited (the other server then starts on
 * an idle machine) but not counted.
 */
export function openLoadSession(target: LoadTarget): LoadSession {
  const connections = Array.from({ length: target.concurrency }, () => connectTo(target.tokenUrl, target.tls));

  async function runSlice(ms: number): Promise<SliceResult> {
    const result: SliceResult = { grants: 0, completed: 0, latencies: [], errors: {}, errorSample: undefined, signedInline: 0 };
    const end = performance.now() + ms;

    async function nextBody(): Promise<TokenRequestBody> {
      const body = target.pool.take();
      if (body !== undefined) return body;
      result.signedInline++;
      return target.pool.signNow();
    }

    function recordError(key: string, sample: string) {
      result.errors[key] = (result.errors[key] ?? 0) + 1;
      result.errorSample ??= sample.slice(0, 300);
    }

    async function runConnection({ client, path }: { client: Client; path: string }) {
      while (performance.now() < end) {
        const body = await nextBody();
        const sent = performance.now();
        try {
          const { status, text } = await postTokenRequest(client, path, body);
          const done = performance.now();
          if (status !== 200 || !text.includes('"access_token"')) {
            recordError(`HTTP ${status}`, text);
            continue;
          }
          result.completed++;
          if (done < end) {
            result.grants++;
            result.latencies.push(done - sent);
          }
        } catch (error) {
          recordError(`transport ${(error as { code?: string }).code ?? 'error'}`, String(error));
        }
      }
    }

    await Promise.all(connections.map(runConnection));
    return result;
  }

  return {
    runSlice,
    async close() {
      await Promise.all(connections.map(({ client }) => client.close()));
    },
  };
}
