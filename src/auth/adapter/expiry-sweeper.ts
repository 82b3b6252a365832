import type { Knex } from 'knex';

import { sweepExpired } from './sweep-expired.ts';

/** How often and how hard the background sweeper deletes expired oidc-provider rows. */
export interface SweeperOptions {
  /** Seconds between the end of one sweep and the start of the next. */
  intervalSeconds: number;
  /** Rows deleted per statement; see `sweepExpired`. */
  batchSize: number;
  /** Told about a failed sweep; the sweeper keeps going. Must not throw. */
  onError: (error: unknown) => void;
}

/**
 * Sweeps expired rows every `intervalSeconds` until stopped. The next sweep is scheduled only when
 * the last one has finished, so sweeps never overlap in one process, and the timer is unref'd so it
 * never keeps the process alive. Returns a function that stops the sweeper and resolves once any
 * sweep in progress has finished (call it before closing `db`). Throws a `RangeError` for a
 * non-positive interval or batch size.
 *
 * @example
 * ```ts
 * const stopSweeper = startSweeper(db, { intervalSeconds: 60, batchSize: 500, onError: (error) => logger.error({ error }, 'sweep failed') });
 * // on shutdown
 * await stopSweeper();
 * await db.destroy();
 * ```
 */
export function startSweeper(db: Knex, { intervalSeconds, batchSize, onError }: SweeperOptions): () => Promise<void> {
  // Checked here too, so a bad setting fails at startup instead of at every sweep.
  if (!(intervalSeconds > 0)) throw new RangeError('intervalSeconds must be a positive number');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();

  const sweep = (): void => {
    sweeping = sweepExpired(db, batchSize).then(() => undefined, onError).finally(scheduleSweep);
  };
  function scheduleSweep(): void {
    if (stopped) return;
    timer = setTimeout(sweep, intervalSeconds * 1000);
    timer.unref();
  }

  scheduleSweep();
  return async function stopSweeper(): Promise<void> {
    stopped = true;
    clearTimeout(timer);
    await sweeping;
  };
}
