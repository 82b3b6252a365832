import { fork, type ChildProcess } from 'node:child_process';

import type { ClientMetadata } from 'oidc-provider';

import type { CpuMicros, QueryTally, ServerReady, ServerReply, ServerRequest } from './server-protocol.ts';

// Distributes over the union, so each request keeps its own fields.
type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;
type RequestBody = WithoutId<ServerRequest>;

/** Parent side of a server under test: the process, where it listens, and the requests it answers. */
export interface ServerProcess {
  name: string;
  tokenUrl: string;
  issuer: string;
  register(clients: ClientMetadata[]): Promise<void>;
  /** CPU time the server process has used so far. */
  cpu(): Promise<CpuMicros>;
  /** SQL run since the last call; undefined when the server does not count. */
  queries(): Promise<QueryTally | undefined>;
  /** Closes the server and waits for the process to exit (and write its CPU profile). */
  stop(): Promise<void>;
}

/**
 * Forks `entry` (a server script in this folder) and waits for it to listen. A child that dies
 * early rejects with its exit code; its stderr goes to ours.
 */
export function startServerProcess(name: string, entry: string, args: string[], cpuProfDir: string | undefined): Promise<ServerProcess> {
  const execArgv = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${name}-\${pid}.cpuprofile`] : [];
  const child: ChildProcess = fork(new URL(entry, import.meta.url), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited: Promise<void> | undefined;

  function ask(body: RequestBody): Promise<unknown> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error(`${name} server is gone`));
      pending.set(id, { resolve, reject });
      child.send({ ...body, id } as ServerRequest, (error) => {
        if (!error) return;
        pending.delete(id);
        reject(error);
      });
    });
  }

  return new Promise((resolve, reject) => {
    // Failures to send are reported to `ask`'s callback; this only keeps them from being thrown.
    child.on('error', () => undefined);
    exited = new Promise((done) => {
      child.once('exit', (code, signal) => {
        const error = new Error(`${name} server exited (${signal ?? code})`);
        for (const request of pending.values()) request.reject(error);
        reject(error);
        done();
      });
    });
    child.on('message', (message: ServerReady | ServerReply) => {
      if (message.type === 'ready') {
        resolve({
          name,
          tokenUrl: message.tokenUrl,
          issuer: message.issuer,
          register: async (clients) => void (await ask({ op: 'register', clients })),
          cpu: async () => (await ask({ op: 'cpu' })) as CpuMicros,
          queries: async () => ((await ask({ op: 'queries' })) as QueryTally | null) ?? undefined,
          async stop() {
            if (child.exitCode === null && child.connected) await ask({ op: 'stop' });
            await exited;
          },
        });
        return;
      }
      const request = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) request?.resolve(message.result);
      else request?.reject(new Error(`${name} server: ${message.error}`));
    });
  });
}
