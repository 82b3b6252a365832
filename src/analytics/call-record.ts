/**
 * What the gateway's last step knows of one call (issue 11, step 9 "Record"). Ids are the
 * catalogue's and the consumers'; names travel along so that metrics and rollups read well after
 * an API is renamed or removed.
 */
export interface CallRecord {
  /** When the call arrived; it is counted in that minute (UTC). */
  at: Date;
  apiId: string;
  apiName: string;
  apiVersion: string;
  /** The matched route; null when none matched (a 404 or 405 under the API's base path). */
  routeId: string | null;
  /** Its path template (`/accounts/{AccountId}`), never the raw path. */
  routeTemplate: string | null;
  method: string;
  /** The calling application; null for anonymous calls (`none` APIs, refused before authentication). */
  applicationId: string | null;
  planId: string | null;
  clientId: string | null;
  consentId: string | null;
  /** The HTTP status answered. */
  status: number;
  /** From the first byte in to the last byte out, in milliseconds. */
  totalMs: number;
  /** Time spent waiting on upstreams; null when none was called (refused, or answered by the gateway). */
  upstreamMs: number | null;
  /** The gateway's own share: total minus upstream. */
  gatewayMs: number;
  requestBytes: number;
  responseBytes: number;
}

/** Why `record` would not count a call: the first field out of range, or undefined when it is sound. */
export function invalidCallField(call: CallRecord): keyof CallRecord | undefined {
  if (!Number.isFinite(call.at.getTime())) return 'at';
  if (!(Number.isInteger(call.status) && call.status >= 100 && call.status <= 599)) return 'status';
  if (!(call.totalMs >= 0 && call.totalMs < Infinity)) return 'totalMs';
  if (call.upstreamMs !== null && !(call.upstreamMs >= 0 && call.upstreamMs < Infinity)) return 'upstreamMs';
  if (!(call.gatewayMs >= 0 && call.gatewayMs < Infinity)) return 'gatewayMs';
  if (!(Number.isSafeInteger(call.requestBytes) && call.requestBytes >= 0)) return 'requestBytes';
  if (!(Number.isSafeInteger(call.responseBytes) && call.responseBytes >= 0)) return 'responseBytes';
  return undefined;
}
