import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { startChild, type BenchChild } from '../gateway/child-process.ts';
import { openLoadSession, type LoadSession, type LoadTarget } from '../gateway/drive-load.ts';
import { startGateway } from '../gateway/gateway-process.ts';
import { CUSTOMER_ACCOUNTS, OB_PATH, SAAS_PATH, setUpGateway, type GatewaySetup } from '../gateway/gateway-setup.ts';
import { obAccountsBody } from '../gateway/ob-accounts-body.ts';
import { processCpuAvailable, treeCpuMs } from '../gateway/process-cpu.ts';
import { sideFigures } from '../gateway/side-figures.ts';
import { prepareBenchStore } from '../token-endpoint/bench-store.ts';
import { formatMinute, formatVerdict, MINUTE_HEADER } from './print-soak.ts';
import { processRssBytes } from './process-rss.ts';
import { parseSoakOptions, type SoakOptions } from './soak-options.ts';
import { judgeSoak, type SoakMinute } from './soak-verdict.ts';

/*
 * Soak (`npm run bench:soak`): the gateway bench's FAPI side (e), or its API-key side (d), run for
 * half an hour at half of its measured closed-loop peak, paced (open loop) so that a gateway that
 * slows down shows as latency rather than as fewer calls. One line a minute with the gateway
 * process's RSS and CPU, then whether RSS and p99 stayed flat. See bench/README.md.
 */

const MINUTE_MS = 60_000;
const SETTLE_MS = 30_000;
const MB = 1024 * 1024;
// The generator's event loop is sampled this often, ms; a sample is the time between two ticks.
const DELAY_RESOLUTION_MS = 10;

let interrupted = false;

/** The side's calls, as the gateway bench makes them; the FAPI token is fetched from the running gateway. */
async function soakTarget(options: SoakOptions, setup: GatewaySetup, caPem: string): Promise<LoadTarget> {
  const base = { concurrency: options.concurrency, minBytes: 1500 };
  const headers = { accept: 'application/json' };
  if (options.side === 'apikey') return { ...base, url: `${setup.urls.public}${SAAS_PATH}`, headers: { ...headers, 'x-api-key': setup.apiKey }, tls: { caPem } };
  return {
    ...base,
    url: `${setup.urls.partner}${OB_PATH}`,
    headers: { ...headers, authorization: `Bearer ${await setup.accessToken()}` },
    tls: { caPem, certificatePem: readFileSync(join(setup.certsDir, 'sample-client.pem'), 'utf8'), privateKeyPem: readFileSync(join(setup.certsDir, 'sample-client.key'), 'utf8') },
  };
}

/** Closed loop at the bench's concurrency: the peak the soak runs at half of. */
async function measurePeak(options: SoakOptions, session: LoadSession, gateway: BenchChild): Promise<number> {
  await session.runSlice(options.warmup * 1000);
  const peak = sideFigures([await session.runSlice(options.peakSeconds * 1000)], options.peakSeconds * 1000);
  if (Object.keys(peak.errors).length) throw new Error(`errors at peak: ${JSON.stringify(peak.errors)}; first: ${peak.errorSample}`);
  console.log(`# peak: ${Math.round(peak.perSecond)} req/s closed loop over ${options.peakSeconds} s (p50 ${peak.p50.toFixed(2)} ms, p99 ${peak.p99.toFixed(2)} ms); gateway RSS after it ${(processRssBytes(gateway.pid)! / MB).toFixed(1)} MB`);
  return peak.perSecond;
}

async function soak(options: SoakOptions, setup: GatewaySetup, session: LoadSession, gateway: BenchChild, perSecond: number): Promise<SoakMinute[]> {
  console.log(`# soak: ${Math.round(perSecond)} req/s paced for ${options.minutes} min, after ${SETTLE_MS / 1000} s paced unmeasured`);
  // The closed-loop peak leaves queues and a heap behind it: the first measured minute starts after they settle.
  if (options.side === 'fapi') session.setHeader('authorization', `Bearer ${await setup.accessToken()}`);
  await session.runPaced(SETTLE_MS, perSecond, true);
  console.log(MINUTE_HEADER);
  const minutes: SoakMinute[] = [];
  // Latency counts from each call's turn, so a stall of this process (the load generator) would
  // count as the gateway's: its own event-loop delay is printed beside it to tell them apart.
  const generatorDelay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  generatorDelay.enable();
  for (let index = 1; index <= options.minutes && !interrupted; index++) {
    // An access token lives 300 s; a fresh one each minute, outside the measured minute.
    if (options.side === 'fapi') session.setHeader('authorization', `Bearer ${await setup.accessToken()}`);
    const cpuBefore = treeCpuMs(gateway.pid);
    const started = performance.now();
    generatorDelay.reset();
    const result = await session.runPaced(MINUTE_MS, perSecond, true);
    const elapsed = performance.now() - started;
    const rssBytes = processRssBytes(gateway.pid);
    if (rssBytes === undefined) {
      if (interrupted) break;
      throw new Error(`the gateway process exited during minute ${index}: ${JSON.stringify(result.errors)}; first: ${result.errorSample}`);
    }
    const minute = { result, sliceMs: MINUTE_MS, rssBytes, cpuShare: (treeCpuMs(gateway.pid) - cpuBefore) / elapsed, generatorDelayP99Ms: Math.max(0, generatorDelay.percentile(99) / 1e6 - DELAY_RESOLUTION_MS) };
    console.log(formatMinute(index, minute));
    minutes.push(minute);
  }
  generatorDelay.disable();
  return minutes;
}

async function benchmark(options: SoakOptions): Promise<SoakMinute[]> {
  const store = await prepareBenchStore(options.databaseUrl, 'bench_soak');
  let upstream: BenchChild | undefined;
  let setup: GatewaySetup | undefined;
  let gateway: BenchChild | undefined;
  let session: LoadSession | undefined;
  try {
    upstream = await startChild('upstream', './upstream.ts', [obAccountsBody(CUSTOMER_ACCOUNTS, `https://localhost${OB_PATH}`)]);
    setup = await setUpGateway(store.databaseUrl, upstream.url, options.limits === 'redis' ? options.redisUrl : undefined);
    const caPem = readFileSync(join(setup.certsDir, 'dev-ca.pem'), 'utf8');
    gateway = await startGateway(setup.env, 1, { url: `${setup.urls.public}${SAAS_PATH}`, headers: { 'x-api-key': setup.apiKey }, caPem });
    session = openLoadSession(await soakTarget(options, setup, caPem));
    const peak = await measurePeak(options, session, gateway);
    return await soak(options, setup, session, gateway, peak / 2);
  } finally {
    await session?.close();
    await gateway?.stop();
    await upstream?.stop();
    setup?.remove();
    await store.dropSchema();
  }
}

let options: SoakOptions;
try {
  options = parseSoakOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (!processCpuAvailable) {
  console.error('the soak reads the gateway\'s RSS and CPU from /proc: Linux only');
  process.exit(2);
}

console.log(`# soak: the gateway's ${options.side === 'fapi' ? 'FAPI side (e)' : 'API-key side (d)'} of bench:gateway, one process (WORKERS=1), the same upstream and 1.5 KB body`);
console.log(`# ${options.concurrency} connections: ${options.warmup} s warm-up and ${options.peakSeconds} s closed loop for the peak, then ${options.minutes} min paced at half of it`);
console.log(`# this machine: ${availableParallelism()} cores, shared by the load generator, the upstream, the gateway, PostgreSQL and Redis; rate limits in ${options.limits}`);
process.once('SIGINT', () => {
  interrupted = true;
  console.error('# interrupted: stopping after this minute, then cleaning up (Ctrl-C again to quit at once)');
});

try {
  const minutes = await benchmark(options);
  const verdict = judgeSoak(minutes);
  console.log(verdict ? formatVerdict(verdict) : '# fewer than two minutes: no verdict');
  const failed = minutes.map((minute, index) => ({ index: index + 1, minute })).filter(({ minute }) => Object.keys(minute.result.errors).length > 0);
  for (const { index, minute } of failed) console.error(`ERROR: minute ${index}: ${JSON.stringify(minute.result.errors)}; first: ${minute.result.errorSample}`);
  if (failed.length) process.exitCode = 1;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
