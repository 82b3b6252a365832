import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

export interface PollOptions {
  /** Fails once a try ends later than this many milliseconds after the first began. */
  withinMs: number;
  /** Milliseconds between tries; 10 unless given. */
  everyMs?: number;
  /** What is awaited, for the failure's message. */
  what?: string;
}

/**
 * Reads until `done` holds of what was read, and returns that with the milliseconds it took. A
 * read that ends past `withinMs` fails the test, with the last value, even if it would have done:
 * "refused within a second" must be seen within the second.
 */
export async function pollUntil<T>(read: () => T | Promise<T>, done: (value: T) => boolean, options: PollOptions): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  for (;;) {
    const value = await read();
    const ms = performance.now() - start;
    if (ms > options.withinMs) assert.fail(`${options.what ?? 'the condition'} not within ${options.withinMs} ms (${Math.round(ms)} ms); last: ${inspect(value, { depth: 3, breakLength: Infinity }).slice(0, 500)}`);
    if (done(value)) return { value, ms };
    await sleep(options.everyMs ?? 10);
  }
}

/** Tries `check` until it holds; returns the milliseconds that took. */
export async function eventually(check: () => boolean | Promise<boolean>, options: PollOptions): Promise<number> {
  return (await pollUntil(check, (held) => held, options)).ms;
}
