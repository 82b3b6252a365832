import { assertionPool, type AssertionPool } from './assertion-pool.ts';
import type { BenchClient } from './bench-clients.ts';
import type { Algorithm, BenchOptions } from './bench-options.ts';
import { cpuSpent, sampleCpu } from './cpu-accounting.ts';
import { openLoadSession, type ClientTls, type LoadSession } from './drive-load.ts';
import type { AlgorithmResult } from './print-report.ts';
import type { ServerProcess } from './server-process.ts';
import { addErrors, addSlice, emptyTotals, type Side, type SideTotals } from './side-totals.ts';

// Sizing the pool before a slice: twice the fastest rate seen so far, or this before any was seen.
const FIRST_GUESS_RATE = 6000;
const HEADROOM = 2;

interface Contender {
  server: ServerProcess;
  pool: AssertionPool;
  session: LoadSession;
  totals: SideTotals;
  bestRate: number;
}

async function fillPoolFor(contender: Contender, seconds: number, concurrency: number): Promise<void> {
  const rate = contender.bestRate > 0 ? HEADROOM * contender.bestRate : FIRST_GUESS_RATE;
  await contender.pool.fillTo(Math.ceil(rate * seconds) + concurrency);
}

async function measureSlice(contender: Contender, options: BenchOptions): Promise<void> {
  await fillPoolFor(contender, options.slice, options.concurrency);
  const before = sampleCpu();
  const serverBefore = await contender.server.cpu();
  const slice = await contender.session.runSlice(options.slice * 1000);
  const serverAfter = await contender.server.cpu();
  addSlice(contender.totals, slice, options.slice, cpuSpent(before, sampleCpu(), (serverAfter - serverBefore) / 1e6));
  contender.bestRate = Math.max(contender.bestRate, slice.grants / options.slice);
}

/**
 * Runs one algorithm's comparison: both servers warm up, then take turns in slices (ours, stock,
 * stock, ours, ...: each pair in the opposite order to the last, so that a trend in the machine's
 * load cancels out). Only the slices are measured.
 */
export async function compareServers(alg: Algorithm, clients: BenchClient[], servers: Record<Side, ServerProcess>, tls: ClientTls, options: BenchOptions): Promise<AlgorithmResult> {
  const contenders = {} as Record<Side, Contender>;
  for (const side of ['ours', 'stock'] as const) {
    const server = servers[side];
    // Stock's in-memory adapter is an LRU of 1,000 entries shared by every model, so the other
    // algorithm's load has evicted these clients. Registering again puts them back (ours: an upsert).
    await server.register(clients.map((client) => client.metadata));
    const pool = assertionPool(clients, server.issuer);
    contenders[side] = { server, pool, session: openLoadSession({ tokenUrl: server.tokenUrl, tls, concurrency: options.concurrency, pool }), totals: emptyTotals(side), bestRate: 0 };
  }
  try {
    for (const contender of Object.values(contenders)) {
      if (options.warmup > 0) {
        await fillPoolFor(contender, options.warmup, options.concurrency);
        const warmup = await contender.session.runSlice(options.warmup * 1000);
        addErrors(contender.totals, warmup);
        contender.bestRate = warmup.grants / options.warmup;
      }
    }
    await contenders.ours.server.queries();
    const slices = Math.max(1, Math.round(options.seconds / options.slice));
    for (let index = 0; index < slices; index++) {
      const order: Side[] = index % 2 === 0 ? ['ours', 'stock'] : ['stock', 'ours'];
      for (const side of order) await measureSlice(contenders[side], options);
    }
    const queries = await contenders.ours.server.queries();
    if (queries) contenders.ours.totals.queries = queries;
  } finally {
    await Promise.all(Object.values(contenders).map((contender) => contender.session.close()));
  }
  return { alg, ours: contenders.ours.totals, stock: contenders.stock.totals };
}
