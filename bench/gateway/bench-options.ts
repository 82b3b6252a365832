import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const SIDES = ['direct', 'passthrough', 'counted', 'nginx', 'apikey', 'fapi'] as const;
export type Side = (typeof SIDES)[number];

export interface GatewayBenchOptions {
  /** Requests in flight at once, each on its own keep-alive connection. Default 32. */
  concurrency: number;
  /** Measured closed-loop load per side and worker count, seconds. Default 20. */
  seconds: number;
  /** Unmeasured load per side before that, seconds. Default 3. */
  warmup: number;
  /** The measured load is cut into slices this long, the sides taking turns. Default 1. */
  slice: number;
  /** Paced load per side at half of the FAPI gateway's peak, seconds. Default 10. */
  halfPeakSeconds: number;
  /** Server processes per proxy: one worker, then every core (`--workers 1,all`). */
  workers: number[];
  /**
   * How (b) passes the answer on: `stream` (undici's API for proxies, as the gateway does) or
   * `request` (undici's `request`, its body piped on: the weaker baseline of figures before
   * 2026-12-07). Default stream.
   */
  baseline: 'stream' | 'request';
  /** The gateway's rate-limit counters: `redis` (exact across workers, as deployed) or `memory`. Default redis. */
  limits: 'redis' | 'memory';
  /**
   * Whether (e)'s route writes each call to the audit log, as every Open Banking route does by
   * default (`on`), or not (`off`): what the audit costs, the gateway's part and PostgreSQL's on the
   * same cores. Default on.
   */
  fapiAudit: 'on' | 'off';
  /** PostgreSQL for the gateway. Default `BENCH_DATABASE_URL`, else postgres://postgres@127.0.0.1:5432/test. */
  databaseUrl: string;
  redisUrl: string;
  /** Where each gateway process writes a V8 CPU profile when it stops (`--cpu-prof DIR`); none when absent. */
  cpuProfDir: string | undefined;
  /** The sides measured (`--sides`), in the bench's order; the paced phase needs (b), (d) and (e). Default all. */
  sides: Side[];
  /** Whether the gateway counts the bytes it allocates per call (`--alloc-sample`): slow, so no speed figure of that run counts. */
  allocSample: boolean;
}

/** Each side's letter: what the report and the issue call it, and what --sides takes. */
export const SIDE_LETTERS: Readonly<Record<Side, string>> = { direct: 'a', passthrough: 'b', counted: "b'", nginx: 'c', apikey: 'd', fapi: 'e' };

function sideList(value: string): Side[] {
  const named = value.split(',').map((entry) => {
    const side = SIDES.find((candidate) => SIDE_LETTERS[candidate] === entry.trim());
    if (!side) throw new RangeError(`--sides takes letters among ${Object.values(SIDE_LETTERS).join(', ')} (got ${JSON.stringify(entry)})\n${USAGE}`);
    return side;
  });
  return SIDES.filter((side) => named.includes(side));
}

export const USAGE = `usage: npm run bench:gateway -- [--concurrency 32] [--seconds 20] [--warmup 3] [--slice 1]
                               [--half-peak-seconds 10] [--workers 1,all] [--limits redis|memory]
                               [--baseline stream|request] [--sides a,b,b',c,d,e] [--cpu-prof DIR]
                               [--alloc-sample] [--fapi-audit on|off]
  PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
  Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379)`;

function positive(name: string, value: string, integer: boolean): number {
  const number = Number(value);
  if (!(number > 0) || (integer && !Number.isInteger(number))) throw new RangeError(`--${name} must be a positive ${integer ? 'integer' : 'number'}\n${USAGE}`);
  return number;
}

// The benchmark only ever talks to this machine.
function loopback(name: string, value: string, protocols: RegExp): string {
  const url = URL.parse(value);
  if (!url || !protocols.test(url.protocol)) throw new RangeError(`${name} must be a ${protocols.source} URL\n${USAGE}`);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new RangeError(`${name} must point at a loopback address`);
  return value;
}

function workerCounts(value: string): number[] {
  const counts = value.split(',').map((entry) => (entry.trim() === 'all' ? availableParallelism() : positive('workers', entry.trim(), true)));
  return [...new Set(counts)];
}

/** Reads the command line and environment; throws a `RangeError` with the usage on bad input. */
export function parseGatewayBenchOptions(argv: string[], env: NodeJS.ProcessEnv): GatewayBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: 'string', default: '32' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      slice: { type: 'string', default: '1' },
      'half-peak-seconds': { type: 'string', default: '10' },
      workers: { type: 'string', default: '1,all' },
      limits: { type: 'string', default: 'redis' },
      'fapi-audit': { type: 'string', default: 'on' },
      baseline: { type: 'string', default: 'stream' },
      'cpu-prof': { type: 'string' },
      sides: { type: 'string', default: "a,b,b',c,d,e" },
      'alloc-sample': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.limits !== 'redis' && values.limits !== 'memory') throw new RangeError(`--limits must be redis or memory\n${USAGE}`);
  if (values['fapi-audit'] !== 'on' && values['fapi-audit'] !== 'off') throw new RangeError(`--fapi-audit must be on or off\n${USAGE}`);
  if (values.baseline !== 'stream' && values.baseline !== 'request') throw new RangeError(`--baseline must be stream or request\n${USAGE}`);
  const seconds = positive('seconds', values.seconds, false);
  const slice = positive('slice', values.slice, false);
  if (slice > seconds) throw new RangeError(`--slice must not exceed --seconds\n${USAGE}`);
  return {
    concurrency: positive('concurrency', values.concurrency, true),
    seconds,
    warmup: positive('warmup', values.warmup, false),
    slice,
    halfPeakSeconds: positive('half-peak-seconds', values['half-peak-seconds'], false),
    workers: workerCounts(values.workers),
    limits: values.limits,
    fapiAudit: values['fapi-audit'],
    baseline: values.baseline,
    databaseUrl: loopback('BENCH_DATABASE_URL', env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', /^postgres(ql)?:$/),
    redisUrl: loopback('BENCH_REDIS_URL', env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', /^rediss?:$/),
    cpuProfDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
    sides: sideList(values.sides),
    allocSample: values['alloc-sample'],
  };
}
