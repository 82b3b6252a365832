import { pipeline, Transform, type Readable, type Writable } from 'node:stream';

import { redactJson } from '../../audit/redact-json.ts';
import type { GatewayCall } from './gateway-state.ts';

// A captured body past this is cut: the audit log keeps evidence, not payloads of any size.
export const MAX_CAPTURED_BYTES = 64 * 1024;

/** A body as the audit entry keeps it: parsed JSON with the route's fields redacted, else text, cut at the limit. */
function captured(bytes: Buffer, redact: readonly string[]): unknown {
  const text = bytes.subarray(0, MAX_CAPTURED_BYTES).toString('utf8');
  if (bytes.length > MAX_CAPTURED_BYTES) return { truncated: true, bytes: bytes.length };
  try {
    return redactJson(JSON.parse(text), redact);
  } catch {
    return text;
  }
}

/**
 * The request body of a call whose route captures bodies: at once when a step has it whole (the
 * edge, validation), else as it streams to the upstream.
 */
export function captureRequestBody<B extends Readable | Buffer | undefined>(call: GatewayCall, body: B): B | Readable {
  const redact = call.route?.policy.captureBodies?.redact;
  if (!redact || body === undefined) return body;
  if (Buffer.isBuffer(body)) {
    call.captured = { ...call.captured, request: captured(body, redact) };
    return body;
  }
  return captureStream(body, call, redact);
}

/**
 * The response body of such a call, collected as it passes on to `sink` (the caller's response).
 * Either side's failure ends the other: the caller's connection is cut, or the upstream call aborted.
 */
export function captureResponseBody(sink: Writable, call: GatewayCall): Writable {
  const redact = call.route?.policy.captureBodies?.redact;
  if (!redact) return sink;
  const tee = captureTee(call, 'response', redact);
  pipeline(tee, sink, () => {});
  return tee;
}

/** The response body of such a call, when a step read it whole. */
export function captureResponseBytes(call: GatewayCall, bytes: Buffer): void {
  const redact = call.route?.policy.captureBodies?.redact;
  if (redact) call.captured = { ...call.captured, response: captured(bytes, redact) };
}

/** A request body collected as it streams to the upstream. */
function captureStream(body: Readable, call: GatewayCall, redact: readonly string[]): Readable {
  const tee = captureTee(call, 'request', redact);
  body.on('error', (error) => tee.destroy(error));
  return body.pipe(tee);
}

/** Collects a body as it passes (up to the limit, then only its size), kept on the call once it has. */
function captureTee(call: GatewayCall, which: 'request' | 'response', redact: readonly string[]): Transform {
  const chunks: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (size < MAX_CAPTURED_BYTES) chunks.push(chunk);
      size += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      const bytes = Buffer.concat(chunks);
      call.captured = { ...call.captured, [which]: size > MAX_CAPTURED_BYTES ? { truncated: true, bytes: size } : captured(bytes, redact) };
      done();
    },
  });
}
