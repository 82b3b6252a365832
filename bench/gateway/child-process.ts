import { fork } from 'node:child_process';

/** Sent once by a bench child when it listens. */
export interface ChildReady {
  type: 'ready';
  url: string;
}

export interface BenchChild {
  url: string;
  /** The server's process (its workers are its children): for the CPU it uses. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Forks a server script of this folder and waits for it to listen. Each server under test runs
 * in a process of its own, away from the load generator's event loop; a child that dies early
 * rejects with its exit code.
 */
export function startChild(name: string, entry: string, args: string[]): Promise<BenchChild> {
  const child = fork(new URL(entry, import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${signal ?? code}) before it listened`)));
    child.once('message', (message: ChildReady) => {
      resolve({
        url: message.url,
        pid: child.pid!,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** Child side: tells the parent where it listens, and exits with the parent. */
export function announceReady(url: string): void {
  process.send!({ type: 'ready', url } satisfies ChildReady);
  process.on('disconnect', () => process.exit(0));
}
