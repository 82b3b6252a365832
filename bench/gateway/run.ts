import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../../test/helpers/free-port.ts';
import { prepareBenchStore } from '../token-endpoint/bench-store.ts';
import { parseGatewayBenchOptions, SIDES, type GatewayBenchOptions, type Side } from './bench-options.ts';
import { startChild, type BenchChild } from './child-process.ts';
import { openLoadSession, type LoadSession, type LoadTarget, type SliceResult } from './drive-load.ts';
import { startGateway } from './gateway-process.ts';
import { addGcPausesBetween, gatewayReader, NO_GC_PAUSES, type GcPauses } from './gateway-readings.ts';
import { CUSTOMER_ACCOUNTS, OB_PATH, SAAS_PATH, SAAS_PLAN_PERIODS, setUpGateway, type GatewaySetup } from './gateway-setup.ts';
import { nginxInstalled, startNginx } from './nginx.ts';
import { processCpuAvailable, treeCpuMs } from './process-cpu.ts';
import { obAccountsBody } from './ob-accounts-body.ts';
import { formatRun, type RunFigures } from './print-report.ts';
import { sideFigures } from './side-figures.ts';

/*
 * Gateway benchmark (`npm run bench:gateway`): the same upstream called (a) directly, (b) through
 * a bare undici pass-through, (b') through the same pass-through counting each call as (d)'s
 * limits do (in Redis, or in memory with `--limits memory`), (c) through nginx, (d) through the
 * gateway with an API key, plan limits and analytics, (e) through the gateway with FAPI
 * enforcement (certificate-bound JWT, consent, rate limit, audit, analytics); closed-loop in
 * interleaved slices, then paced at half of (e)'s peak for the latency it adds. See bench/README.md.
 */

// An access token lives 300 s; take a fresh one well before.
const TOKEN_REFRESH_MS = 120_000;
// Paced at half of (e)'s peak, each against (b).
const PACED_SIDES = ['passthrough', 'apikey', 'fapi'] as const;
const runsPacedPhase = (sides: readonly Side[]) => PACED_SIDES.every((side) => sides.includes(side));

interface Sides {
  children: BenchChild[];
  targets: Partial<Record<Side, LoadTarget>>;
  /** Each proxy's process ((d) and (e) share the gateway's); none for (a), which has no proxy. */
  pids: Partial<Record<Side, number>>;
}

async function startSides(options: GatewayBenchOptions, setup: GatewaySetup, upstream: BenchChild, workers: number, allocSampleDir: string | undefined): Promise<Sides> {
  const caPem = readFileSync(join(setup.certsDir, 'dev-ca.pem'), 'utf8');
  const client = { certificatePem: readFileSync(join(setup.certsDir, 'sample-client.pem'), 'utf8'), privateKeyPem: readFileSync(join(setup.certsDir, 'sample-client.key'), 'utf8') };
  const base = { concurrency: options.concurrency, minBytes: 1500, headers: { accept: 'application/json' } };
  const children: BenchChild[] = [];
  const targets: Sides['targets'] = { direct: { ...base, url: `${upstream.url}${OB_PATH}` } };
  const pids: Sides['pids'] = {};
  try {
    const passthrough = await startChild('passthrough', './passthrough.ts', [setup.certsDir, upstream.url, String(await freePort()), String(workers), options.baseline]);
    children.push(passthrough);
    targets.passthrough = { ...base, url: `${passthrough.url}${OB_PATH}`, tls: { caPem } };
    pids.passthrough = passthrough.pid;
    const countStore = options.limits === 'redis' ? options.redisUrl : 'memory';
    const counted = await startChild('counting pass-through', './passthrough.ts', [setup.certsDir, upstream.url, String(await freePort()), String(workers), options.baseline, countStore, SAAS_PLAN_PERIODS.join(',')]);
    children.push(counted);
    targets.counted = { ...base, url: `${counted.url}${OB_PATH}`, tls: { caPem } };
    pids.counted = counted.pid;
    if (nginxInstalled()) {
      const nginx = await startNginx(setup.certsDir, upstream.url, await freePort(), workers);
      children.push(nginx);
      targets.nginx = { ...base, url: `${nginx.url}${OB_PATH}`, tls: { caPem } };
      pids.nginx = nginx.pid;
    }
    const apikeyHeaders = { ...base.headers, 'x-api-key': setup.apiKey };
    const gateway = await startGateway(setup.env, workers, { url: `${setup.urls.public}${SAAS_PATH}`, headers: apikeyHeaders, caPem }, { cpuProfDir: options.cpuProfDir, allocSampleDir });
    children.push(gateway);
    pids.apikey = gateway.pid;
    pids.fapi = gateway.pid;
    targets.apikey = { ...base, url: `${setup.urls.public}${SAAS_PATH}`, headers: apikeyHeaders, tls: { caPem } };
    targets.fapi = { ...base, url: `${setup.urls.partner}${OB_PATH}`, headers: { ...base.headers, authorization: `Bearer ${await setup.accessToken()}` }, tls: { caPem, ...client } };
    return { children, targets, pids };
  } catch (error) {
    await Promise.allSettled(children.map((child) => child.stop()));
    throw error;
  }
}

/** Keeps the FAPI side's token fresh between slices (never inside one). */
function tokenKeeper(setup: GatewaySetup, session: LoadSession | undefined) {
  let fetchedAt = performance.now();
  return async () => {
    if (!session || performance.now() - fetchedAt < TOKEN_REFRESH_MS) return;
    session.setHeader('authorization', `Bearer ${await setup.accessToken()}`);
    fetchedAt = performance.now();
  };
}

async function measure(options: GatewayBenchOptions, setup: GatewaySetup, upstream: BenchChild, workers: number, allocSampleDir: string | undefined): Promise<RunFigures> {
  const { children, targets, pids } = await startSides(options, setup, upstream, workers, allocSampleDir);
  const sides = SIDES.filter((side) => targets[side] && options.sides.includes(side));
  const sessions = new Map(sides.map((side) => [side, openLoadSession(targets[side]!)]));
  const keepFresh = tokenKeeper(setup, sessions.get('fapi'));
  const gc = gatewayReader(setup.urls.admin, readFileSync(join(setup.certsDir, 'dev-ca.pem'), 'utf8'));
  try {
    for (const side of sides) await sessions.get(side)!.runSlice(options.warmup * 1000);
    const sliceMs = options.slice * 1000;
    const slices = new Map<Side, SliceResult[]>(sides.map((side) => [side, []]));
    // CPU the side's proxy used in its measured slices (the sides take turns, so each slice's is its own).
    const cpuMs = new Map<Side, number>();
    const rounds = Math.ceil(options.seconds / options.slice);
    for (let round = 0; round < rounds; round++) {
      // Each round starts one side later, so that no side always follows the same neighbour.
      const order = sides.map((_, index) => sides[(index + round) % sides.length]!);
      for (const side of order) {
        const pid = processCpuAvailable ? pids[side] : undefined;
        const cpuBefore = pid === undefined ? 0 : treeCpuMs(pid);
        slices.get(side)!.push(await sessions.get(side)!.runSlice(sliceMs));
        if (pid !== undefined) cpuMs.set(side, (cpuMs.get(side) ?? 0) + treeCpuMs(pid) - cpuBefore);
      }
      await keepFresh();
    }
    const closedLoop = new Map([...slices].map(([side, taken]) => [side, sideFigures(taken, sliceMs, cpuMs.get(side))]));
    if (!runsPacedPhase(sides)) return { workers, closedLoop, halfPeak: Number.NaN, paced: new Map() };

    const halfPeak = closedLoop.get('fapi')!.perSecond / 2;
    const paced = new Map<Side, SliceResult[]>(PACED_SIDES.map((side) => [side, []]));
    // The gateway's GC pauses and longest event-loop delay in each of its paced slices, read from
    // its /metrics around the slice (one worker only: see gateway-readings.ts).
    const gcPaused = workers === 1 ? new Map<Side, GcPauses>([['apikey', NO_GC_PAUSES], ['fapi', NO_GC_PAUSES]]) : undefined;
    const loopDelays = new Map<Side, number[]>([['apikey', []], ['fapi', []]]);
    const pacedRounds = Math.ceil(options.halfPeakSeconds / options.slice);
    for (let round = 0; round < pacedRounds; round++) {
      const order = [...paced.keys()];
      for (let index = 0; index < order.length; index++) {
        const side = order[(index + round) % order.length]!;
        const gcBefore = gcPaused?.has(side) ? await gc.read() : undefined;
        paced.get(side)!.push(await sessions.get(side)!.runPaced(sliceMs, halfPeak));
        if (gcBefore) {
          const after = await gc.read();
          gcPaused!.set(side, addGcPausesBetween(gcPaused!.get(side)!, gcBefore.pauses, after.pauses));
          loopDelays.get(side)!.push(after.loopDelayMaxMs);
        }
      }
      await keepFresh();
    }
    const pacedSeconds = pacedRounds * options.slice;
    return { workers, closedLoop, halfPeak, paced: new Map([...paced].map(([side, taken]) => [side, sideFigures(taken, sliceMs)])), ...(gcPaused ? { gcPaused: { pauses: gcPaused, pacedSeconds, loopDelaysMs: loopDelays } } : {}) };
  } finally {
    await gc.close();
    await Promise.allSettled([...sessions.values()].map((session) => session.close()));
    await Promise.allSettled(children.map((child) => child.stop()));
  }
}

/** What the gateway's processes counted (alloc-sampler.ts), added up: requests served and bytes allocated. */
function gatewayAllocations(dir: string): { requests: number; bytes: number } {
  const counts = readdirSync(dir).map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as { requests: number; bytes: number });
  return { requests: counts.reduce((sum, count) => sum + count.requests, 0), bytes: counts.reduce((sum, count) => sum + count.bytes, 0) };
}

async function benchmark(options: GatewayBenchOptions): Promise<RunFigures[]> {
  const store = await prepareBenchStore(options.databaseUrl, 'bench_gateway');
  let upstream: BenchChild | undefined;
  let setup: GatewaySetup | undefined;
  try {
    upstream = await startChild('upstream', './upstream.ts', [obAccountsBody(CUSTOMER_ACCOUNTS, `https://localhost${OB_PATH}`)]);
    setup = await setUpGateway(store.databaseUrl, upstream.url, options.limits === 'redis' ? options.redisUrl : undefined, options.fapiAudit);
    console.log('# set up: an api-key API with its plan and key; the Open Banking accounts API; a partner and a consent the customer authorised');
    const runs: RunFigures[] = [];
    for (const workers of options.workers) {
      console.log(`# measuring with ${workers} worker${workers > 1 ? 's' : ''} per proxy...`);
      const allocSampleDir = options.allocSample ? mkdtempSync(join(tmpdir(), 'portcullis-bench-alloc-')) : undefined;
      try {
        const run = await measure(options, setup, upstream, workers, allocSampleDir);
        // Read once the gateway has stopped: each of its processes writes its count as it exits.
        if (allocSampleDir) run.allocated = gatewayAllocations(allocSampleDir);
        console.log(formatRun(run, options));
        runs.push(run);
      } finally {
        if (allocSampleDir) rmSync(allocSampleDir, { recursive: true, force: true });
      }
    }
    return runs;
  } finally {
    await upstream?.stop();
    setup?.remove();
    await store.dropSchema();
  }
}

let options: GatewayBenchOptions;
try {
  options = parseGatewayBenchOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

console.log('# gateway: GET of a fixed 1.5 KB Open Banking accounts body from one local HTTP upstream, keep-alive, closed loop');
const paced = runsPacedPhase(options.sides) ? `then ${options.halfPeakSeconds} s each paced at half of (e)'s peak` : 'no paced phase (it needs (b), (d) and (e))';
console.log(`# ${options.concurrency} connections; per side ${options.warmup} s warm-up, ${options.seconds} s measured in ${options.slice} s slices taken in turns; ${paced}`);
console.log(`# this machine: ${availableParallelism()} cores, shared by the load generator, the upstream and the proxy under test; gateway rate limits in ${options.limits}; (e)'s calls ${options.fapiAudit === 'on' ? '' : 'not '}audited; (b) passes answers on with undici's ${options.baseline}${nginxInstalled() ? '' : '; nginx not installed: (c) skipped'}`);
process.once('SIGINT', () => console.error('# interrupted: cleaning up'));

try {
  const runs = await benchmark(options);
  const failed = runs.flatMap((run) => [...run.closedLoop, ...run.paced].filter(([, figures]) => Object.keys(figures.errors).length > 0).map(([side, figures]) => ({ workers: run.workers, side, figures })));
  for (const { workers, side, figures } of failed) console.error(`ERROR: ${workers} worker(s), ${side}: ${JSON.stringify(figures.errors)}; first: ${figures.errorSample}`);
  if (failed.length) process.exitCode = 1;
  if (options.cpuProfDir) console.log(`# CPU profiles of the gateway in ${options.cpuProfDir} (summarise with: node bench/token-endpoint/summarize-profile.ts FILE)`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
