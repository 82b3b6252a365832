import { Writable } from 'node:stream';

/** An answer being read whole: the sink to forward it into, and its bytes once it is in. */
export interface AnswerCollector {
  sink: Writable;
  bytes(): Buffer;
}

/**
 * A sink for an upstream's answer that a step must read whole (an Open Banking filter, a payment,
 * a composite route's part). Past `limit` bytes it fails with a RangeError, which aborts the
 * upstream call: no upstream can make the gateway hold an answer of any size.
 */
export function collectAnswer(limit: number): AnswerCollector {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) return done(new RangeError(`upstream answer over ${limit} bytes`));
      chunks.push(chunk);
      done();
    },
  });
  return { sink, bytes: () => Buffer.concat(chunks, size) };
}
