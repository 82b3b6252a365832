import { SingleBar } from 'cli-progress';

/** Shows a seed's progress on stderr: a bar on a terminal, one line at the end otherwise (logs stay readable). */
export interface SeedProgress {
  update(written: number): void;
  stop(): void;
}

export function seedProgress(total: number, stream: NodeJS.WriteStream = process.stderr): SeedProgress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({ stream, format: 'seeding [{bar}] {percentage}% | {value}/{total} customers | {duration_formatted}', hideCursor: true });
  bar.start(total, 0);
  return { update: (written) => bar.update(written), stop: () => bar.stop() };
}
