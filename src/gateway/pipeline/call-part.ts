import type { Context, Middleware } from 'koa';

import type { GatewayDeps } from './gateway-deps.ts';
import { readWholeAnswer } from './gateway-state.ts';
import { partContext } from './part-context.ts';
import { openCallRecord } from './record-call.ts';

// A part's answer is held whole to be merged; past this it counts as failed, so that a composite
// call's memory stays bounded (a route has 20 parts at most).
const MAX_PART_BYTES = 4 * 1024 * 1024;

// What the gateway makes of a part whose answer it could not read whole (RFC 9110 §15.6.3).
const UNREADABLE = 502;

/** One part's answer, as its call ended. */
export interface PartAnswer {
  name: string;
  /** Its status; 502 when its body could not be read whole. */
  status: number;
  headers: Record<string, string | string[]>;
  /** Its body as it came: the upstream's bytes, or the problem the gateway made of it. */
  body: Buffer | undefined;
  /** Milliseconds until its upstream's response headers, when it got that far. */
  upstreamMs: number | undefined;
}

function headersOf(ctx: Context): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(ctx.response.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, typeof value === 'number' ? String(value) : value]])));
}

/**
 * Calls one part of a composite route: `steps` (a direct call's, from route to forward) on a
 * request of its own for `path` (`partContext`), then its answer read whole. The part's call is
 * recorded as any call is (analytics, access log, audit of an audited route); it is abandoned
 * when the composite's caller goes away.
 */
export async function callPart(ctx: Context, part: { name: string; path: string }, steps: Middleware, deps: Pick<GatewayDeps, 'record' | 'clock' | 'logger'>): Promise<PartAnswer> {
  const partCtx = partContext(ctx, part.path);
  const record = openCallRecord(partCtx, deps);
  // The forward step stops its upstream call when its response closes unfinished, as a caller's would.
  const abandon = () => {
    if (!ctx.res.writableFinished) partCtx.res.emit('close');
  };
  ctx.res.once('close', abandon);
  const call = partCtx.state.gateway!;
  readWholeAnswer(call, MAX_PART_BYTES);
  let status = UNREADABLE;
  let body: Buffer | undefined;
  try {
    await steps(partCtx, async () => {});
    body = Buffer.isBuffer(partCtx.body) ? partCtx.body : Buffer.from(JSON.stringify(partCtx.body));
    status = partCtx.status;
    call.responseBytes = body.length;
  } catch (error) {
    deps.logger.warn({ err: error, part: part.name, path: part.path, interactionId: ctx.state.fapiInteractionId }, 'gateway.part_unreadable');
  } finally {
    ctx.res.off('close', abandon);
    record(status);
  }
  return { name: part.name, status, headers: headersOf(partCtx), body, upstreamMs: call.upstreamMs };
}
