import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/*
 * CPU time spent by a server under test and every process it started (cluster workers, nginx's
 * workers), from Linux's /proc: what one call costs the proxy, whatever else the machine was
 * doing. Throughput on a shared, noisy machine moves with its neighbours; CPU per call barely does.
 */

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcessTimes {
  parent: number;
  /** User plus system time, clock ticks. */
  ticks: number;
}

function readProcess(pid: number): ProcessTimes | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold blanks: the fields that follow its closing one are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    // Gone between listing and reading.
    return undefined;
  }
}

/** Whether this machine can tell (Linux). */
export const processCpuAvailable = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** Milliseconds of CPU that `root` and its descendants have used so far. */
export function treeCpuMs(root: number): number {
  const all = new Map<number, ProcessTimes>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const times = readProcess(Number(entry));
    if (times) all.set(Number(entry), times);
  }
  const children = new Map<number, number[]>();
  for (const [pid, times] of all) children.set(times.parent, [...(children.get(times.parent) ?? []), pid]);
  let ticks = 0;
  for (const pending = [root]; pending.length > 0; ) {
    const pid = pending.pop()!;
    ticks += all.get(pid)?.ticks ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
