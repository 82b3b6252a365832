import { rootCertificates } from 'node:tls';

import { Agent, request } from 'undici';

import type { TryItRequest } from './try-it-request.ts';

/*
 * The portal's client for "try it": one call to our own gateway, on the developer's behalf, bounded
 * so that a slow or chatty upstream costs the portal little. It follows no redirect (undici's
 * `request` never does), reads at most `MAX_BODY_BYTES` of the answer and gives up after
 * `TIMEOUT_MS` in all.
 */

/** What the page shows of the gateway's answer. */
export interface GatewayAnswer {
  status: number;
  headers: Array<[name: string, value: string]>;
  /** The body as text (pretty-printed when it is JSON), up to the limit. */
  body: string;
  /** More came than the page shows. */
  truncated: boolean;
  durationMs: number;
}

/** Why no answer came: words for the page, and the client's error for the log (it never holds the request's headers). */
export interface GatewayFailure {
  failure: string;
  cause: string;
}

export type GatewayCall = (request: TryItRequest) => Promise<GatewayAnswer | GatewayFailure>;

/** Enough for any page of results a developer reads on screen. */
const MAX_BODY_BYTES = 256 * 1024;
/** The gateway's own upstream timeouts are shorter: an answer later than this is not coming. */
const TIMEOUT_MS = 10_000;

// Cookies the gateway might set are not the portal's to show, nor the developer's to keep.
const HIDDEN_HEADERS = new Set(['set-cookie']);

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > MAX_BODY_BYTES) {
      body.destroy();
      return { bytes: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES), truncated: true };
    }
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

function pretty(text: string, contentType: string | undefined, truncated: boolean): string {
  if (truncated || !/json/i.test(contentType ?? '')) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const headerList = (headers: Record<string, string | string[] | undefined>): Array<[string, string]> => Object.entries(headers)
  .filter(([name]) => !HIDDEN_HEADERS.has(name))
  .flatMap(([name, value]) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((one): [string, string] => [name, one]));

/**
 * The gateway caller. It trusts the system's CAs and the server's own certificate (which the
 * gateway presents when the portal reaches it directly, as in development on the development PKI).
 *
 * @param serverCertificatePem the listeners' certificate, trusted as it is (a partial chain).
 */
export function gatewayCaller(serverCertificatePem: string): GatewayCall {
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, serverCertificatePem], allowPartialTrustChain: true }, connections: 8 });
  return async function callGateway(sent) {
    const started = performance.now();
    try {
      const answer = await request(sent.url, { method: sent.method, headers: sent.headers, body: sent.body, dispatcher, signal: AbortSignal.timeout(TIMEOUT_MS) });
      const { bytes, truncated } = await readBounded(answer.body);
      const contentType = answer.headers['content-type'];
      return {
        status: answer.statusCode, headers: headerList(answer.headers), body: pretty(bytes.toString('utf8'), Array.isArray(contentType) ? contentType[0] : contentType, truncated),
        truncated, durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      return { failure: timedOut ? `The gateway did not answer within ${TIMEOUT_MS / 1000} seconds.` : 'The gateway could not be reached.', cause: String((error as Error).message) };
    }
  };
}
