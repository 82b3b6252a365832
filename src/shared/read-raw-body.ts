import type { IncomingMessage } from 'node:http';

import { errors } from 'oidc-provider';

/** Reads a request body of at most `limit` bytes as text; a larger one is refused, not truncated. */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req) {
    received += (chunk as Buffer).length;
    if (received > limit) throw new errors.InvalidRequest('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
