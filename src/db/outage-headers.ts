import { defaults } from '../config/defaults.ts';

/**
 * The headers of every answer to a store outage, whatever its format: when to come back
 * (`Retry-After`, RFC 9110 §10.2.3, `defaults.store.retryAfter` seconds), and that no cache may
 * keep the answer for longer than the outage lasts.
 */
export const OUTAGE_HEADERS: Readonly<Record<string, string>> = {
  'Retry-After': String(defaults.store.retryAfter),
  'Cache-Control': 'no-store',
};
