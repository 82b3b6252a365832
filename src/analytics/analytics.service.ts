import type { Knex } from 'knex';

import type { Logger } from '../observability/logger.ts';
import type { Clock } from '../shared/clock.ts';
import { invalidCallField, type CallRecord } from './call-record.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { addCall, mergeRows, rollupKeyOf, rowOf, startRollup, type MinuteRollup } from './minute-rollup.ts';
import { addRollups, type RollupRow } from './rollup.store.ts';

/*
 * Step 9 of the pipeline, off the request path: `record` adds a call to its minute's rollup in
 * memory (and to the Prometheus series); a timer writes the rollups in one batch every
 * `flushIntervalMs`. Several instances, and several flushes of one minute, add up in the store.
 *
 * Nothing is lost silently. A failed flush keeps its rows and sends them again, merged with the
 * next flush's; each failure is logged and counted. While the store stays away the kept rows grow
 * by the number of distinct keys per minute; past `maxPendingRows` the oldest minutes are shed,
 * counted as dropped calls and logged: usage figures are not worth failing API calls for, nor
 * running out of memory. A commit whose answer is lost (the store committed, the connection died
 * before saying so) is sent again and counted twice: rollups are at-least-once.
 */

export interface AnalyticsOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** Milliseconds between the end of one flush and the start of the next. */
  flushIntervalMs: number;
  /** Rows kept across failed flushes before the oldest minutes are shed. */
  maxPendingRows: number;
  metrics: GatewayMetrics;
}

export interface Analytics {
  /**
   * Counts one call: constant time, no I/O. It allocates the key string and, first in a minute for
   * its key, one rollup; prom-client's series update (which hashes its labels on every call) is
   * most of its cost.
   */
  record(call: CallRecord): void;
  /** Writes what was recorded so far; rejects when the store failed (the rows are kept for the next flush). */
  flush(): Promise<void>;
  /** Stops the timer and flushes; calls recorded afterwards are counted as dropped. */
  close(): Promise<void>;
}

/**
 * @example
 * const analytics = createAnalytics({ db, clock: systemClock, logger, flushIntervalMs: 10_000, maxPendingRows: 50_000, metrics });
 * analytics.record({ at, apiId, apiName, apiVersion, routeId, routeTemplate, method, applicationId, planId, clientId, consentId, status, totalMs, upstreamMs, gatewayMs, requestBytes, responseBytes });
 * // on shutdown, after the listeners have drained
 * await analytics.close();
 */
export function createAnalytics(options: AnalyticsOptions): Analytics {
  const { db, clock, logger, flushIntervalMs, maxPendingRows, metrics } = options;
  if (!(flushIntervalMs > 0)) throw new RangeError('flushIntervalMs must be a positive number');
  if (!(Number.isInteger(maxPendingRows) && maxPendingRows > 0)) throw new RangeError('maxPendingRows must be a positive integer');

  let current = new Map<string, MinuteRollup>();
  // Rows a failed flush kept, by key; only a flush touches them, and flushes run one at a time.
  let pending = new Map<string, RollupRow>();
  let invalid: { calls: number; field: string } | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function shedOldest(): void {
    let calls = 0;
    const shed: Date[] = [];
    // Keys enter `pending` in the order their minute was first flushed: the front holds the oldest.
    for (const [key, row] of pending) {
      if (pending.size <= maxPendingRows) break;
      pending.delete(key);
      calls += row.count;
      shed.push(row.minute);
    }
    if (calls === 0) return;
    metrics.countDroppedCalls('buffer_full', calls);
    logger.error({ calls, rows: shed.length, from: shed[0], to: shed.at(-1) }, 'analytics.rollups_shed');
  }

  async function writeOnce(): Promise<void> {
    if (invalid) {
      logger.error(invalid, 'analytics.invalid_calls');
      invalid = undefined;
    }
    const taken = current;
    current = new Map();
    for (const [key, rollup] of taken) {
      const kept = pending.get(key);
      pending.set(key, kept ? mergeRows(kept, rowOf(rollup)) : rowOf(rollup));
    }
    if (pending.size === 0) return;
    try {
      await addRollups(db, [...pending.values()]);
    } catch (error) {
      metrics.countAnalyticsFlushFailure();
      logger.error({ err: error, rows: pending.size }, 'analytics.flush_failed');
      shedOldest();
      throw error;
    }
    pending = new Map();
    metrics.setAnalyticsFlushedAt(clock.now());
  }

  function flush(): Promise<void> {
    const run = flushing.then(writeOnce);
    flushing = run.catch(() => undefined);
    return run;
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => void flush().catch(() => undefined).finally(schedule), flushIntervalMs);
    timer.unref();
  }
  schedule();

  return {
    record(call) {
      if (closed) return metrics.countDroppedCalls('closed', 1);
      const field = invalidCallField(call);
      if (field !== undefined) {
        metrics.countDroppedCalls('invalid', 1);
        invalid = { calls: (invalid?.calls ?? 0) + 1, field };
        return;
      }
      const key = rollupKeyOf(call);
      let rollup = current.get(key);
      if (!rollup) {
        rollup = startRollup(call, call.routeId === null ? undefined : metrics.callSeries(call));
        current.set(key, rollup);
      }
      addCall(rollup, call);
      (rollup.series ?? metrics.callSeries(call)).observe(call);
    },
    flush,
    async close() {
      closed = true;
      clearTimeout(timer);
      await flush();
    },
  };
}
