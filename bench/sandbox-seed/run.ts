import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';

import { prepareBenchStore } from '../token-endpoint/bench-store.ts';
import type { BenchStoreKind, TrialKind, TrialRequest, TrialResult } from './trial-protocol.ts';

/*
 * Sandbox seed benchmark (`npm run bench:seed`): `npm run sandbox -- seed` for N customers against
 * the same seed written serially (generate a batch, write it, then the next). Rounds take turns
 * (seed, serial, serial, seed, …) so that the machine's noise lands on both; each trial runs
 * in a fresh process on a fresh store (a new PGlite directory, a new PostgreSQL schema). See
 * bench/README.md.
 */

const USAGE = `usage: npm run bench:seed -- [--customers 10000] [--rounds 2] [--store pglite,postgresql]
  PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)`;

function readOptions() {
  const { values } = parseArgs({ options: { customers: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '2' }, store: { type: 'string', default: 'pglite,postgresql' } } });
  const customers = Number(values.customers);
  const rounds = Number(values.rounds);
  const stores = values.store.split(',') as BenchStoreKind[];
  if (!Number.isInteger(customers) || customers < 1 || !Number.isInteger(rounds) || rounds < 1 || !stores.every((store) => store === 'pglite' || store === 'postgresql')) throw new RangeError(USAGE);
  return { customers, rounds, stores, databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' };
}

function trial(request: TrialRequest): Promise<TrialResult> {
  const child = fork(new URL('./trial.ts', import.meta.url), [JSON.stringify(request)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: TrialResult | undefined;
    child.once('message', (message: TrialResult) => (result = message));
    child.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${request.kind} trial on ${request.store} exited with ${code}`))));
  });
}

async function onFreshStore(kind: TrialKind, store: BenchStoreKind, customers: number, databaseUrl: string): Promise<TrialResult> {
  if (store === 'pglite') return trial({ kind, store, customers });
  const schema = await prepareBenchStore(databaseUrl, 'bench_sandbox_seed');
  try {
    return await trial({ kind, store, customers, databaseUrl: schema.databaseUrl });
  } finally {
    await schema.dropSchema();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const options = readOptions();
console.log(`Seeding ${options.customers.toLocaleString('en-GB')} generated customers (+ the story ones), ${options.rounds} round(s) per store.`);
const generated = await trial({ kind: 'generate', store: 'pglite', customers: options.customers });
console.log(`generator alone: ${seconds(generated.ms)}, ${generated.transactions.toLocaleString('en-GB')} transactions, peak RSS ${generated.maxRssMb.toFixed(0)} MB`);

for (const store of options.stores) {
  const runs: Record<'seed' | 'serial', TrialResult[]> = { seed: [], serial: [] };
  for (let round = 0; round < options.rounds; round += 1) {
    // ABBA: the order flips every round, so a drift in the machine's speed favours neither.
    for (const kind of (round % 2 === 0 ? ['seed', 'serial'] : ['serial', 'seed']) as ('seed' | 'serial')[]) {
      const result = await onFreshStore(kind, store, options.customers, options.databaseUrl);
      if (result.transactions !== generated.transactions) throw new Error(`${kind} on ${store} wrote ${result.transactions} transactions, the generator made ${generated.transactions}`);
      runs[kind].push(result);
      console.log(`  ${store} round ${round + 1} ${kind}: ${seconds(result.ms)}, peak RSS ${result.maxRssMb.toFixed(0)} MB (${result.readyRssMb.toFixed(0)} MB with the store open and migrated)`);
    }
  }
  const ratios = runs.seed.map((seed, round) => seed.ms / runs.serial[round]!.ms);
  const seed = median(runs.seed.map((result) => result.ms));
  console.log(`${store}: seed ${seconds(seed)} (${Math.round(options.customers / (seed / 1000)).toLocaleString('en-GB')} customers/s), peak RSS ${Math.max(...runs.seed.map((result) => result.maxRssMb)).toFixed(0)} MB;` +
    ` serially ${seconds(median(runs.serial.map((result) => result.ms)))}; ratio seed/serial ${median(ratios).toFixed(2)} (rounds ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
}
