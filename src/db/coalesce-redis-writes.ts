import type { Writable } from 'node:stream';

import type { Redis } from 'ioredis';

/**
 * Makes the commands a client sends in one turn of the event loop (a call's several windows,
 * the calls whose requests arrived together) leave in one socket write: the connection is corked
 * at the turn's first command and uncorked once the turn's I/O callbacks have run.
 *
 * ioredis's own auto-pipelining batches the same way, but through a `Pipeline` per batch, and a
 * `Pipeline` defines an accessor on itself: that gives every batch a hidden class of its own, made
 * in the old generation, which holds the batch, its commands and their callers' closures alive
 * through every young-generation collection until the next full one. Under the gateway's
 * closed-loop load, that was 4 of every 10 bytes it promoted (see the README's performance section).
 */
export function coalesceRedisWrites(redis: Redis): void {
  const send = redis.sendCommand.bind(redis);
  let corked: Writable | undefined;
  const uncork = () => {
    corked?.uncork();
    corked = undefined;
  };
  redis.sendCommand = (command, stream) => {
    // A command given its own stream belongs to a MULTI or a pipeline, which writes it itself.
    if (!corked && !stream && redis.stream?.writable) {
      corked = redis.stream;
      corked.cork();
      setImmediate(uncork);
    }
    return send(command, stream);
  };
}
