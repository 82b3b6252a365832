import { readFileSync } from 'node:fs';

/**
 * The resident set of a process, bytes, from Linux's /proc (`VmRSS`): what the machine gives it,
 * heap and native memory alike, which is what a slow leak grows. `undefined` once the process has
 * exited (a zombie's status has no `VmRSS` line).
 */
export function processRssBytes(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kilobytes === undefined ? undefined : Number(kilobytes) * 1024;
}
