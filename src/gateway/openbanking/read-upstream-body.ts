import type { Readable } from 'node:stream';

/** The upstream's answer was longer than the step reading it will hold. */
export class UpstreamBodyTooLarge extends Error {
  constructor(limit: number) {
    super(`upstream answer over ${limit} bytes`);
    this.name = 'UpstreamBodyTooLarge';
  }
}

/**
 * Reads an upstream's streamed answer whole, for the Open Banking steps that need it (the consent
 * filter, a payment's first answer, the bank's signature), stopping at `limit` bytes.
 */
export async function readUpstreamBody(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new UpstreamBodyTooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
