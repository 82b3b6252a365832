import type { IncomingMessage } from 'node:http';

import { errors } from 'oidc-provider';

/**
 * A body the listener's edge has read already is left on `req.body` as text: where oidc-provider
 * looks for a body read before it (its fallback for an upstream parser; it logs a one-time notice
 * about it), and where `readRawBody` finds it.
 */
type ReadRequest = IncomingMessage & { body?: unknown };

const tooLarge = () => new errors.InvalidRequest('request body too large', 413);

/**
 * Reads a request body of at most `limit` bytes; a larger one is refused (413, before reading when
 * its `Content-Length` says so), never truncated.
 */
export async function readBodyBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length']) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req) {
    received += (chunk as Buffer).length;
    if (received > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Leaves the text of a body read at the edge for the readers after it (`readRawBody`, oidc-provider). */
export function keepReadBody(req: IncomingMessage, text: string): void {
  (req as ReadRequest).body = text;
}

/** The body the edge has read already, if it read it (`keepReadBody`). */
export function keptBody(req: IncomingMessage): string | undefined {
  const kept = (req as ReadRequest).body;
  return typeof kept === 'string' ? kept : undefined;
}

/**
 * Reads a request body of at most `limit` bytes as text; a larger one is refused, not truncated.
 * A body the edge has read already (`keepReadBody`) is taken from there.
 */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<string> {
  const kept = (req as ReadRequest).body;
  if (typeof kept !== 'string') return (await readBodyBytes(req, limit)).toString('utf8');
  if (Buffer.byteLength(kept) > limit) throw tooLarge();
  return kept;
}
