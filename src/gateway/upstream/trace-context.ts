import { randomFillSync } from 'node:crypto';

/*
 * W3C Trace Context (Level 1): the gateway passes the caller's `traceparent` and `tracestate` on
 * unchanged, so that the upstream's spans join the caller's trace. It records no span of its own
 * yet, so it keeps the caller's parent-id rather than inventing one nobody reports.
 */

// §3.2: version-traceId-parentId-flags, lower-case hex; a later version may append fields (§3.2.4).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);

function isValidTraceparent(value: string | string[] | undefined): value is string {
  if (typeof value !== 'string') return false;
  const match = TRACEPARENT.exec(value);
  if (!match) return false;
  const [, version, traceId, parentId, rest] = match;
  // §3.2.2.1: version ff is invalid, and version 00 has exactly four fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return false;
  return traceId !== ZERO_TRACE_ID && parentId !== ZERO_PARENT_ID;
}

// Random bytes drawn a page at a time: one draw per call cost more than the rest of this step
// (a system call each), as Node's own randomUUID found; 170 new traces per refill.
const RANDOM_POOL = Buffer.alloc(4080);
let poolOffset = RANDOM_POOL.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    poolOffset = 0;
  }
  poolOffset += bytes;
  return RANDOM_POOL.toString('hex', poolOffset - bytes, poolOffset);
}

// A new trace: random ids, not sampled (the gateway makes no sampling decision).
function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-00`;
}

/**
 * Makes sure `headers` (already a private copy) carries a valid `traceparent`: the caller's when it
 * sent one, a new one otherwise. A new trace drops the caller's `tracestate`: §4.3 says a
 * `tracestate` without a valid `traceparent` MUST be discarded.
 */
export function propagateTraceContext(headers: Record<string, string | string[]>): void {
  if (isValidTraceparent(headers['traceparent'])) return;
  headers['traceparent'] = newTraceparent();
  delete headers['tracestate'];
}
