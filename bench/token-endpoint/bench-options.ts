import { parseArgs } from 'node:util';

export const ALGORITHMS = ['ES256', 'PS256'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Where ours keeps its replay claims (client assertion and DPoP proof jtis). */
export type ReplayCache = 'postgresql' | 'redis';

export interface BenchOptions {
  /** Requests in flight at once, each on its own keep-alive TLS connection. Default 16. */
  concurrency: number;
  /** Measured load per server and algorithm, seconds. Default 10. */
  seconds: number;
  /** Unmeasured load per server and algorithm before that (JIT, connection pools, caches), seconds. Default 2. */
  warmup: number;
  /** The measured load is cut into slices this long (at most 30), ours and stock taking turns. Default 1. */
  slice: number;
  algorithms: Algorithm[];
  /** PostgreSQL for ours. Default `BENCH_DATABASE_URL`, else postgres://postgres@127.0.0.1:5432/test. */
  databaseUrl: string;
  /** Ours' replay cache: `postgresql` (no `REDIS_URL`, as one instance runs) or `redis` (as several do). Default postgresql. */
  replay: ReplayCache;
  /** The Redis ours is given as `REDIS_URL` with `--replay redis`. `BENCH_REDIS_URL`, else redis://127.0.0.1:6379. */
  redisUrl: string;
  /** Count SQL statements per grant on our side (adds a listener to every query). */
  countQueries: boolean;
  /** Write a V8 CPU profile of each server process into this folder. */
  cpuProfDir: string | undefined;
}

const USAGE = `usage: npm run bench -- [--concurrency 16] [--seconds 10] [--warmup 2] [--slice 1]
                       [--alg ES256,PS256] [--replay postgresql|redis] [--count-queries] [--cpu-prof DIR]
  PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
  Redis (--replay redis): BENCH_REDIS_URL (default redis://127.0.0.1:6379)`;

function positive(name: string, value: string, integer: boolean): number {
  const number = Number(value);
  if (!(number > 0) || (integer && !Number.isInteger(number))) throw new RangeError(`--${name} must be a positive ${integer ? 'integer' : 'number'}\n${USAGE}`);
  return number;
}

function loopbackUrl(name: string, value: string, scheme: string, protocols: RegExp): string {
  const url = URL.parse(value);
  if (!url || !protocols.test(url.protocol)) throw new RangeError(`${name} must be a ${scheme}:// URL\n${USAGE}`);
  // The benchmark only ever talks to this machine.
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new RangeError(`${name} must point at a loopback address`);
  return value;
}

/** Reads the command line (and `BENCH_DATABASE_URL`, `BENCH_REDIS_URL`); throws a `RangeError` with the usage on bad input. */
export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      slice: { type: 'string', default: '1' },
      alg: { type: 'string', default: ALGORITHMS.join(',') },
      replay: { type: 'string', default: 'postgresql' },
      'count-queries': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const algorithms = values.alg.split(',').map((alg) => alg.trim().toUpperCase());
  for (const alg of algorithms) {
    if (!(ALGORITHMS as readonly string[]).includes(alg)) throw new RangeError(`--alg: ${alg} is not one of ${ALGORITHMS.join(', ')}\n${USAGE}`);
  }
  if (values.replay !== 'postgresql' && values.replay !== 'redis') throw new RangeError(`--replay must be postgresql or redis\n${USAGE}`);
  const slice = positive('slice', values.slice, false);
  // Assertions are signed just before a slice and live 60 s.
  if (slice > 30) throw new RangeError(`--slice must be at most 30 seconds\n${USAGE}`);
  return {
    concurrency: positive('concurrency', values.concurrency, true),
    seconds: positive('seconds', values.seconds, false),
    warmup: values.warmup === '0' ? 0 : positive('warmup', values.warmup, false),
    slice,
    algorithms: algorithms as Algorithm[],
    databaseUrl: loopbackUrl('BENCH_DATABASE_URL', env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'postgres', /^postgres(ql)?:$/),
    replay: values.replay,
    redisUrl: loopbackUrl('BENCH_REDIS_URL', env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', 'redis', /^rediss?:$/),
    countQueries: values['count-queries'],
    cpuProfDir: values['cpu-prof'],
  };
}
