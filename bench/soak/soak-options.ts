import { parseArgs } from 'node:util';

import { parseGatewayBenchOptions } from '../gateway/bench-options.ts';

export interface SoakOptions {
  /** Paced load after the peak phase, minutes. Default 30. */
  minutes: number;
  /** Closed-loop load that measures the peak the soak runs at half of, seconds. Default 20. */
  peakSeconds: number;
  /** Which gateway path is soaked: `fapi` (side (e) of the gateway bench, default) or `apikey` (side (d)). */
  side: 'fapi' | 'apikey';
  /** Connections; closed-loop for the peak, then the paced calls spread across them. The gateway bench's default. */
  concurrency: number;
  /** Unmeasured closed-loop load before the peak phase, seconds. The gateway bench's default. */
  warmup: number;
  limits: 'redis' | 'memory';
  databaseUrl: string;
  redisUrl: string;
}

export const USAGE = `usage: npm run bench:soak -- [--minutes 30] [--peak-seconds 20] [--side fapi|apikey]
                            [--concurrency 32] [--warmup 3] [--limits redis|memory]
  PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
  Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379)`;

function positiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new RangeError(`--${name} must be a positive integer\n${USAGE}`);
  return number;
}

/**
 * Reads the command line and environment; throws a `RangeError` with the usage on bad input.
 * The options the soak shares with the gateway bench (and their defaults) are read by the gateway
 * bench's own parser, so that both take the same connections, store and limits.
 */
export function parseSoakOptions(argv: string[], env: NodeJS.ProcessEnv): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '30' },
      'peak-seconds': { type: 'string', default: '20' },
      side: { type: 'string', default: 'fapi' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      limits: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.side !== 'fapi' && values.side !== 'apikey') throw new RangeError(`--side must be fapi or apikey\n${USAGE}`);
  const minutes = positiveInteger('minutes', values.minutes);
  // The verdict compares a first window of minutes with a last one that does not overlap it.
  if (minutes < 2) throw new RangeError(`--minutes must be at least 2\n${USAGE}`);
  const shared = (['concurrency', 'warmup', 'limits'] as const).flatMap((name) => (values[name] === undefined ? [] : [`--${name}`, values[name]]));
  let gateway;
  try {
    gateway = parseGatewayBenchOptions([...shared, '--workers', '1'], env);
  } catch (error) {
    // Its message ends with the gateway bench's usage: keep the reason, give ours.
    throw new RangeError(`${(error as Error).message.split('\n')[0]}\n${USAGE}`);
  }
  return {
    minutes,
    peakSeconds: positiveInteger('peak-seconds', values['peak-seconds']),
    side: values.side,
    concurrency: gateway.concurrency,
    warmup: gateway.warmup,
    limits: gateway.limits,
    databaseUrl: gateway.databaseUrl,
    redisUrl: gateway.redisUrl,
  };
}
