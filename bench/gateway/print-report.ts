import { SIDE_LETTERS, SIDES, type GatewayBenchOptions, type Side } from './bench-options.ts';
import type { GcPauses } from './gateway-readings.ts';
import { ratio, type SideFigures } from './side-figures.ts';

export interface RunFigures {
  workers: number;
  closedLoop: Map<Side, SideFigures>;
  /** Calls per second of the paced phase: half of (e)'s closed-loop throughput. */
  halfPeak: number;
  paced: Map<Side, SideFigures>;
  /**
   * The gateway's GC pauses in (d)'s and (e)'s paced slices, how long each side was paced, and the
   * event loop's longest delay in each of the side's slices (one worker only).
   */
  gcPaused?: { pauses: Map<Side, GcPauses>; pacedSeconds: number; loopDelaysMs: Map<Side, number[]> };
  /** With `--alloc-sample`: the requests the gateway's processes served and the bytes they allocated meanwhile. */
  allocated?: { requests: number; bytes: number };
}

const DESCRIPTIONS: Record<Side, string> = {
  direct: 'upstream direct',
  passthrough: 'undici pass-through',
  counted: "(b) + (d)'s counts",
  nginx: 'nginx proxy_pass',
  apikey: 'gateway, API key',
  fapi: 'gateway, FAPI',
};
const LABELS = Object.fromEntries(SIDES.map((side) => [side, `(${SIDE_LETTERS[side]}) ${DESCRIPTIONS[side]}`])) as Record<Side, string>;

const TARGETS: Array<{ over: Side; under: Side; target?: number; meaning?: string }> = [
  { over: 'apikey', under: 'passthrough', target: 0.85 },
  { over: 'fapi', under: 'passthrough', target: 0.7 },
  { over: 'fapi', under: 'nginx' },
  { over: 'counted', under: 'passthrough', meaning: "what counting each call in (d)'s windows costs a bare proxy" },
  { over: 'apikey', under: 'counted', meaning: "(d) against a proxy that counts as it must, and does nothing else" },
];

const ms = (value: number) => value.toFixed(2).padStart(8);
const errors = (figures: SideFigures) => Object.values(figures.errors).reduce((sum, count) => sum + count, 0);
const letter = (side: Side) => SIDE_LETTERS[side];

/** A warning when some side opened connections inside its measured slices: handshakes then count as load. */
function reopened(figures: ReadonlyMap<Side, SideFigures>, phase: string): string[] {
  const sides = [...figures].filter(([, { opened }]) => opened > 0).map(([side, { opened }]) => `(${letter(side)}) ${opened}`);
  return sides.length ? [`WARNING: connections opened inside the ${phase} slices, each a TLS handshake in the figures: ${sides.join(', ')}`] : [];
}

export function formatRun(run: RunFigures, options: GatewayBenchOptions): string {
  const lines = [`\n## ${run.workers} worker${run.workers > 1 ? 's' : ''} per proxy (gateway WORKERS=${run.workers}, pass-through processes and nginx worker_processes alike)`];
  lines.push(`${'side'.padEnd(26)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}${'proxy CPU µs/call'.padStart(19)}`);
  for (const [side, figures] of run.closedLoop) {
    const cpu = figures.cpuPerCallUs === undefined ? '' : Math.round(figures.cpuPerCallUs).toString().padStart(19);
    lines.push(`${LABELS[side].padEnd(26)}${Math.round(figures.perSecond).toString().padStart(9)} ${ms(figures.p50)} ${ms(figures.p99)}${errors(figures).toString().padStart(8)}${cpu}`);
  }
  lines.push(...reopened(run.closedLoop, 'closed-loop'));
  for (const { over, under, target, meaning } of TARGETS) {
    const a = run.closedLoop.get(over);
    const b = run.closedLoop.get(under);
    if (!a || !b) continue;
    const r = ratio(a, b);
    const verdict = target === undefined ? '' : r.value >= target ? ` (target ≥ ${target}: met)` : ` (target ≥ ${target}: NOT met)`;
    const cpu = a.cpuPerCallUs !== undefined && b.cpuPerCallUs !== undefined ? `; by proxy CPU per call ${(b.cpuPerCallUs / a.cpuPerCallUs).toFixed(2)} (the ratio were each proxy alone on its cores)` : '';
    lines.push(`${letter(over)}/${letter(under)} = ${r.value.toFixed(2)}, slices ${r.low.toFixed(2)}–${r.high.toFixed(2)}${verdict}${cpu}${meaning ? `: ${meaning}` : ''}`);
  }
  if (run.allocated) {
    const sides = (['apikey', 'fapi'] as const).filter((side) => run.closedLoop.has(side)).map((side) => `(${letter(side)})`).join(' and ');
    lines.push(run.allocated.requests === 0
      ? 'gateway allocations: none counted (no gateway process wrote its count as it exited)'
      : `gateway allocated ${(run.allocated.bytes / run.allocated.requests / 1024).toFixed(1)} KB per request (${run.allocated.requests} requests, ${sides || 'no gateway side'}; sampled, so this run's speed figures do not count)`);
  }
  const baseline = run.paced.get('passthrough');
  if (!baseline) {
    lines.push('no paced phase: it needs (b), (d) and (e)');
    return lines.join('\n');
  }
  lines.push(`paced at ${Math.round(run.halfPeak)} req/s (half of (e)'s peak), ${options.halfPeakSeconds} s each:`);
  for (const [side, figures] of run.paced) {
    const added = side === 'passthrough' ? '' : `, p99 added over (b) ${(figures.p99 - baseline.p99).toFixed(2)} ms${side === 'fapi' ? ((figures.p99 - baseline.p99) <= 2 ? ' (target ≤ 2 ms: met)' : ' (target ≤ 2 ms: NOT met)') : ''}`;
    const late = figures.late ? `, ${figures.late} calls sent late (every connection busy)` : '';
    lines.push(`  ${LABELS[side].padEnd(24)} ${Math.round(figures.perSecond)} req/s, p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms${added}${late}`);
  }
  lines.push(...reopened(run.paced, 'paced'));
  const mean = (pauses: { count: number; seconds: number }) => (pauses.count ? `, ${((1000 * pauses.seconds) / pauses.count).toFixed(1)} ms each on average` : '');
  for (const [side, { minor, other }] of run.gcPaused?.pauses ?? []) {
    const share = (100 * (minor.seconds + other.seconds)) / run.gcPaused!.pacedSeconds;
    lines.push(`  GC in ${letter(side)}'s paced slices: ${minor.count} young-generation pauses${mean(minor)}; ${other.count} other${mean(other)}; ${share.toFixed(1)} % of the time stopped`);
    const delays = [...(run.gcPaused!.loopDelaysMs.get(side) ?? [])].sort((a, b) => a - b);
    if (delays.length > 0) lines.push(`    event loop delayed up to ${delays.at(-1)!.toFixed(1)} ms (the slices' longest delays: median ${delays[Math.floor(delays.length / 2)]!.toFixed(1)} ms); GC, long work, or the process waiting for a core`);
  }
  return lines.join('\n');
}
