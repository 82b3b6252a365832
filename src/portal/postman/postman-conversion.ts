import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** What the conversion worker is given. */
export interface ConversionRequest {
  openapi: Record<string, unknown>;
  baseUrl: string;
}

export type ConversionResult = { ok: true; collection: string } | { ok: false; reason: string };

/** The OpenAPI document could not be made into a collection (the operator's document, not the developer's request). */
export class PostmanConversionFailed extends Error {
  override name = 'PostmanConversionFailed';
}

const TIMEOUT_MS = 20_000;
// Collections of the documents asked for lately, by content: a document the console changes is a new key.
const CACHE_SIZE = 32;
const cache = new Map<string, Promise<string>>();

function convert(request: ConversionRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./postman-collection.worker.ts', import.meta.url), { workerData: request });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new PostmanConversionFailed(`the conversion took more than ${TIMEOUT_MS / 1000} s`));
    }, TIMEOUT_MS);
    worker.once('message', (result: ConversionResult) => {
      clearTimeout(timer);
      void worker.terminate();
      if (result.ok) resolve(result.collection);
      else reject(new PostmanConversionFailed(result.reason));
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(new PostmanConversionFailed(error.message, { cause: error }));
    });
  });
}

/**
 * The Postman collection (v2.1, as JSON text) of an OpenAPI document, its requests aimed at
 * `baseUrl`; made in a worker thread by Postman's own converter (openapi-to-postmanv2), and kept
 * for the next download of the same document. Rejects with `PostmanConversionFailed`.
 */
export function postmanCollection(openapi: Record<string, unknown>, baseUrl: string): Promise<string> {
  const key = createHash('sha256').update(baseUrl).update('\n').update(JSON.stringify(openapi)).digest('base64url');
  const known = cache.get(key);
  if (known) {
    cache.delete(key);
    cache.set(key, known);
    return known;
  }
  const made = convert({ openapi, baseUrl });
  cache.set(key, made);
  made.catch(() => cache.delete(key));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return made;
}
