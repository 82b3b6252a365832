import { setTimeout as sleep } from 'node:timers/promises';

import { Client } from 'undici';

/** Where one side is called, and what a call carries. */
export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  tls?: { caPem: string; certificatePem?: string; privateKeyPem?: string };
  concurrency: number;
  /** A 200 whose body is shorter than this is counted as an error (the accounts body must come through whole). */
  minBytes: number;
}

/** What one slice of load did. */
export interface SliceResult {
  /** 200 answers completed inside the slice. */
  ok: number;
  /** Latency of each, ms. */
  latencies: number[];
  /** Other answers and transport failures, by status or error code. */
  errors: Record<string, number>;
  errorSample: string | undefined;
  /** Paced slices only: calls that went out more than 1 ms after their turn because every connection was busy. */
  late: number;
  /** Connections opened during the slice: none once warm, unless a side dropped its idle connections. */
  opened: number;
}

export interface LoadSession {
  /** Closed loop: each connection sends its next call as soon as the last is answered, for `ms`. */
  runSlice(ms: number): Promise<SliceResult>;
  /**
   * Open loop: calls go out at `perSecond` on a fixed schedule across the connections, for `ms`.
   * With `fromTurn`, a late call's latency counts from its turn rather than from when it went out,
   * so a wait for a free connection behind a slow answer is counted too (no coordinated omission).
   */
  runPaced(ms: number, perSecond: number, fromTurn?: boolean): Promise<SliceResult>;
  /** Replaces a header for the calls that follow (a fresh access token). */
  setHeader(name: string, value: string): void;
  close(): Promise<void>;
}

/**
 * Keep-alive connections to one side, kept across slices so that the sides can take turns in
 * short slices: noise from the rest of the machine then falls on all of them alike. Requests in
 * flight when a slice ends are awaited but not counted.
 */
export function openLoadSession(target: LoadTarget): LoadSession {
  const url = new URL(target.url);
  // The certificate names localhost; the socket goes to 127.0.0.1 (loopback only).
  const origin = `${url.protocol}//127.0.0.1:${url.port}`;
  const connections = Array.from({ length: target.concurrency }, () => new Client(origin, {
    pipelining: 1,
    keepAliveTimeout: 120_000,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
    ...(target.tls ? { connect: { servername: url.hostname, ca: target.tls.caPem, cert: target.tls.certificatePem, key: target.tls.privateKeyPem } } : {}),
  }));
  let opened = 0;
  for (const connection of connections) connection.on('connect', () => opened++);
  const headers = { ...target.headers, host: url.host };
  const path = url.pathname + url.search;

  function emptyResult(): SliceResult {
    return { ok: 0, latencies: [], errors: {}, errorSample: undefined, late: 0, opened: 0 };
  }

  /** One call, timed from `sent`; counted when it completes before `end`. */
  async function call(client: Client, result: SliceResult, end: number, sent = performance.now()): Promise<void> {
    try {
      const answer = await client.request({ method: 'GET', path, headers });
      const body = await answer.body.text();
      const done = performance.now();
      if (answer.statusCode !== 200 || body.length < target.minBytes) {
        const key = `HTTP ${answer.statusCode}`;
        result.errors[key] = (result.errors[key] ?? 0) + 1;
        result.errorSample ??= body.slice(0, 300);
      } else if (done < end) {
        result.ok++;
        result.latencies.push(done - sent);
      }
    } catch (error) {
      const key = `transport ${(error as { code?: string }).code ?? 'error'}`;
      result.errors[key] = (result.errors[key] ?? 0) + 1;
      result.errorSample ??= String(error).slice(0, 300);
    }
  }

  return {
    async runSlice(ms) {
      const result = emptyResult();
      const openedBefore = opened;
      const end = performance.now() + ms;
      await Promise.all(connections.map(async (client) => {
        while (performance.now() < end) await call(client, result, end);
      }));
      result.opened = opened - openedBefore;
      return result;
    },
    async runPaced(ms, perSecond, fromTurn = false) {
      const result = emptyResult();
      const openedBefore = opened;
      const start = performance.now();
      const end = start + ms;
      const interval = 1000 / perSecond;
      let next = 0;
      await Promise.all(connections.map(async (client) => {
        for (;;) {
          const due = start + next++ * interval;
          if (due >= end) return;
          const wait = due - performance.now();
          if (wait > 1) await sleep(wait);
          else if (wait < -1) result.late++;
          // A call may go out up to 1 ms before its turn: then it is timed from when it went out.
          await call(client, result, end, fromTurn ? Math.min(due, performance.now()) : undefined);
        }
      }));
      result.opened = opened - openedBefore;
      return result;
    },
    setHeader(name, value) {
      headers[name as keyof typeof headers] = value;
    },
    async close() {
      await Promise.all(connections.map((client) => client.close()));
    },
  };
}
