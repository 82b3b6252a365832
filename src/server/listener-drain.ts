import type { RequestListener, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

// How often idle connections are closed while answers in flight finish: a connection turns idle
// when its last answer is sent, and nothing else tells us.
const IDLE_SWEEP_MS = 100;

/** What draining needs of a listener (an HTTPS server, or any Node HTTP server). */
export type DrainableServer = Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections'>;

export interface DrainTimes {
  /** Seconds between readiness turning false and the listeners closing (`defaults.shutdown.delay`). */
  delay: number;
  /** Seconds the answers in flight are given once the listeners close (`defaults.shutdown.timeout`). */
  timeout: number;
}

export interface ListenerDrain {
  /** True from the moment the process starts to stop: `/readyz` answers 503. */
  readonly draining: boolean;
  /** `handle`, with its answers tracked, and without keep-alive once draining. */
  track(handle: RequestListener): RequestListener;
  /** Stops `servers` without failing a request sent before they stopped accepting; resolves with how many connections had to be cut. */
  drain(servers: readonly DrainableServer[], times: DrainTimes): Promise<{ cut: number }>;
}

/**
 * A process's way out that a load balancer never sees fail: readiness goes false first (the
 * balancer stops choosing this instance), then, after the delay, the listeners stop accepting;
 * idle keep-alive connections are closed, and every answer still to be sent says `Connection:
 * close`, so no client sends another request on a connection about to go. Connections still busy
 * after the timeout are cut.
 */
export function listenerDrain(): ListenerDrain {
  let draining = false;
  const inFlight = new Set<ServerResponse>();

  const closeAfterAnswer = (res: ServerResponse) => {
    if (!res.headersSent) res.shouldKeepAlive = false;
  };

  return {
    get draining() {
      return draining;
    },
    track(handle) {
      return function trackAnswer(req, res) {
        if (draining) closeAfterAnswer(res);
        inFlight.add(res);
        res.once('close', () => inFlight.delete(res));
        handle(req, res);
      };
    },
    async drain(servers, { delay, timeout }) {
      draining = true;
      if (delay > 0) await sleep(delay * 1000);
      for (const res of inFlight) closeAfterAnswer(res);
      const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      const sweep = setInterval(() => {
        for (const server of servers) server.closeIdleConnections();
      }, IDLE_SWEEP_MS);
      let cut = 0;
      const deadline = setTimeout(() => {
        cut = inFlight.size;
        for (const server of servers) server.closeAllConnections();
      }, timeout * 1000);
      try {
        await closed;
      } finally {
        clearInterval(sweep);
        clearTimeout(deadline);
      }
      return { cut };
    },
  };
}
