import { randomUUID } from 'node:crypto';

import { DemoFailed } from './demo-failure.ts';
import type { PartnerFetch } from './partner-http.ts';
import { readResponseBody } from './read-response.ts';

/**
 * One call to the bank's Open Banking APIs (its consent API, and the resource APIs behind the
 * gateway), on the mutual-TLS listener, as the standard has a TPP make it: a sender-constrained
 * access token, `x-fapi-interaction-id` to correlate logs on both sides, and on POST an
 * `x-idempotency-key`, so that a retried request cannot make a second consent or payment. Anything but a 2xx fails with the bank's `OBErrorResponse1`.
 */

export interface ObApiCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the API base, e.g. `/open-banking/v3.1/aisp/account-access-consents`. */
  path: string;
  accessToken: string;
  /** The exact JSON text to send; the signature, if any, covers these bytes. */
  body?: string;
  /** Detached JWS of `body` for `x-jws-signature` (OB message signing). */
  signature?: string;
}

/** Makes the call against `baseUrl`; returns the parsed body (undefined for a 204). */
export async function callObApi(partnerFetch: PartnerFetch, baseUrl: string, call: ObApiCall): Promise<unknown> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: `Bearer ${call.accessToken}`,
    'x-fapi-interaction-id': randomUUID(),
  };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  if (call.method === 'POST') headers['x-idempotency-key'] = randomUUID();
  if (call.signature !== undefined) headers['x-jws-signature'] = call.signature;
  const response = await partnerFetch(`${baseUrl}${call.path}`, { method: call.method, headers, body: call.body });
  const body = await readResponseBody(response);
  if (!response.ok) throw new DemoFailed(`${call.method} ${call.path} answered HTTP ${response.status}`, body);
  return body;
}
