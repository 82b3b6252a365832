import { readdirSync, readFileSync } from 'node:fs';

/*
 * Where the machine's CPU went during a run: the server process, PostgreSQL, the load generator,
 * and everything else (other work on the machine is noise the alternating order spreads over both
 * sides). Read from Linux /proc; elsewhere only the Node processes are accounted.
 */

// Linux reports /proc times in USER_HZ ticks, 100 a second on every mainstream architecture.
const TICKS_PER_SECOND = 100;

export interface CpuSample {
  at: number;
  /** Busy and total CPU seconds of the whole machine (all cores). */
  machine: { busy: number; total: number } | undefined;
  /** CPU seconds of every process named `postgres` alive now. */
  postgres: number | undefined;
  /** CPU seconds of this process (the load generator). */
  generator: number;
}

function readMachine(): CpuSample['machine'] {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function readPostgres(): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      // Fields 14 and 15 of proc_pid_stat(5): utime, stime; 11 and 12 after the command.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

export function sampleCpu(): CpuSample {
  const { user, system } = process.cpuUsage();
  return { at: performance.now(), machine: readMachine(), postgres: readPostgres(), generator: (user + system) / 1e6 };
}

/** CPU seconds spent between samples, summed over the slices of one server. */
export interface CpuSpent {
  wall: number;
  server: number;
  postgres: number | undefined;
  generator: number;
  /** Whole machine: busy and available CPU seconds. */
  machine: { busy: number; total: number } | undefined;
}

export const NO_CPU_SPENT: CpuSpent = { wall: 0, server: 0, postgres: 0, generator: 0, machine: { busy: 0, total: 0 } };

/** What was spent between `before` and `after`, given the server's own CPU seconds in between. */
export function cpuSpent(before: CpuSample, after: CpuSample, serverSeconds: number): CpuSpent {
  return {
    wall: (after.at - before.at) / 1000,
    server: serverSeconds,
    postgres: before.postgres !== undefined && after.postgres !== undefined ? Math.max(0, after.postgres - before.postgres) : undefined,
    generator: after.generator - before.generator,
    machine: before.machine && after.machine ? { busy: after.machine.busy - before.machine.busy, total: after.machine.total - before.machine.total } : undefined,
  };
}

export function addCpuSpent(a: CpuSpent, b: CpuSpent): CpuSpent {
  return {
    wall: a.wall + b.wall,
    server: a.server + b.server,
    postgres: a.postgres !== undefined && b.postgres !== undefined ? a.postgres + b.postgres : undefined,
    generator: a.generator + b.generator,
    machine: a.machine && b.machine ? { busy: a.machine.busy + b.machine.busy, total: a.machine.total + b.machine.total } : undefined,
  };
}

/** Shares of one core (100 = one core busy) over the time spent. */
export interface CpuShares {
  server: number;
  postgres: number | undefined;
  generator: number;
  /** Everything else on the machine. */
  other: number | undefined;
}

export function cpuShares(spent: CpuSpent): CpuShares {
  const share = (seconds: number) => (100 * seconds) / spent.wall;
  const server = share(spent.server);
  const postgres = spent.postgres === undefined ? undefined : share(spent.postgres);
  const generator = share(spent.generator);
  const other = spent.machine ? Math.max(0, share(spent.machine.busy) - server - (postgres ?? 0) - generator) : undefined;
  return { server, postgres, generator, other };
}
