import type { Readable } from 'node:stream';

/**
 * An upstream's answer read whole, for the steps that must see it (an Open Banking filter, a
 * payment's answer, a composite route's part). Past `limit` bytes the stream is dropped and this
 * throws a RangeError: no upstream can make the gateway hold an answer of any size.
 */
export async function readUpstreamBody(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new RangeError(`upstream answer over ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
