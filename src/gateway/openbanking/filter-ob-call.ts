import type { Middleware } from 'koa';

import { ObError } from '../../openbanking/ob-error.ts';
import { readWholeAnswer } from '../pipeline/gateway-state.ts';
import { filterObResponse } from './filter-ob-response.ts';

// An account list of a few thousand records is a few MB; anything past this is no OB response.
const MAX_FILTERED_BYTES = 16 * 1024 * 1024;

/**
 * Step 8 for Open Banking: a successful JSON answer is read whole (the one step that needs the
 * body) and cut down to what the consent allows before it leaves. An upstream answer that is not
 * JSON is the upstream's fault, and the partner gets a 502 rather than something unfiltered.
 */
export const filterObCall: Middleware = async function filterObCall(ctx, next) {
  const call = ctx.state.gateway!;
  if (call.obView) readWholeAnswer(call, MAX_FILTERED_BYTES);
  await next();
  const view = call.obView;
  if (!view || ctx.status !== 200 || ctx.method === 'HEAD') return;
  let body: unknown;
  try {
    body = JSON.parse((ctx.body as Buffer).toString('utf8'));
  } catch (error) {
    throw new ObError(502, [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'The bank could not answer just now' }], { cause: error });
  }
  const filtered = filterObResponse(body, view.resource, view.consent);
  // The bank core answered as the consent allows: its own bytes go on, not a copy made again.
  if (filtered === body) return;
  ctx.remove('Content-Length');
  ctx.body = filtered;
  call.responseBytes = 0;
};
