import { Agent, request } from 'undici';

/** Garbage-collection pauses of one gateway process, as its `/metrics` counts them since it started. */
export interface GcPauses {
  /** Young-generation collections (V8's scavenges). */
  minor: { count: number; seconds: number };
  /** Every other kind: major, incremental marking steps, weak callbacks. */
  other: { count: number; seconds: number };
}

export const NO_GC_PAUSES: GcPauses = { minor: { count: 0, seconds: 0 }, other: { count: 0, seconds: 0 } };

/** `total` plus what paused between two readings. */
export function addGcPausesBetween(total: GcPauses, before: GcPauses, after: GcPauses): GcPauses {
  const add = (kind: keyof GcPauses) => ({
    count: total[kind].count + after[kind].count - before[kind].count,
    seconds: total[kind].seconds + after[kind].seconds - before[kind].seconds,
  });
  return { minor: add('minor'), other: add('other') };
}

/** One scrape: the GC pauses so far, and the event loop's longest delay since the scrape before. */
export interface GatewayReading {
  pauses: GcPauses;
  /**
   * `nodejs_eventloop_lag_max_seconds`, in ms: prom-client measures it with `monitorEventLoopDelay`
   * (10 ms resolution) and starts afresh at each scrape. It counts every moment the loop could not
   * run its timers: GC pauses, long work, and the process waiting for a core.
   */
  loopDelayMaxMs: number;
}

/**
 * Reads the gateway's `nodejs_gc_duration_seconds` and `nodejs_eventloop_lag_max_seconds` from its
 * admin listener. With one worker, the process that answers is the one under load; with several, a
 * scrape reaches any one of them, so the bench reads it with one worker only.
 */
export function gatewayReader(adminUrl: string, caPem: string): { read(): Promise<GatewayReading>; close(): Promise<void> } {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  return {
    async read() {
      const answer = await request(`${adminUrl}/metrics`, { dispatcher });
      const text = await answer.body.text();
      if (answer.statusCode !== 200) throw new Error(`GET /metrics answered ${answer.statusCode}`);
      const pauses = structuredClone(NO_GC_PAUSES);
      for (const [, field, kind, value] of text.matchAll(/^nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} ([\d.e+-]+)$/gm)) {
        const into = kind === 'minor' ? pauses.minor : pauses.other;
        if (field === 'sum') into.seconds += Number(value);
        else into.count += Number(value);
      }
      const lag = /^nodejs_eventloop_lag_max_seconds ([\d.e+-]+)$/m.exec(text);
      if (!lag) throw new Error('GET /metrics has no nodejs_eventloop_lag_max_seconds');
      return { pauses, loopDelayMaxMs: Number(lag[1]) * 1000 };
    },
    close: () => dispatcher.close(),
  };
}
