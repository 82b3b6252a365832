import type { ClientMetadata } from 'oidc-provider';

/*
 * What the benchmark (parent) and a server under test (child process) say to each other over the
 * IPC channel of `child_process.fork`. Each server runs in a process of its own so that neither
 * the load generator nor the other server shares its event loop: on a small machine, one
 * JavaScript thread is the server's whole budget, and a shared one would measure the mix.
 */

/** Sent once by the child when it listens. */
export interface ServerReady {
  type: 'ready';
  /** The partner (mutual TLS) token endpoint. */
  tokenUrl: string;
  /** The issuer: the audience of client assertions. */
  issuer: string;
}

/** How much SQL the server ran since the last reset (ours only, with `--count-queries`). */
export interface QueryTally {
  /** Per statement text (knex placeholders, so one entry per statement shape). */
  statements: Record<string, { count: number; totalMs: number }>;
}

export type ServerRequest =
  | { id: number; op: 'register'; clients: ClientMetadata[] }
  | { id: number; op: 'cpu' }
  | { id: number; op: 'queries' }
  | { id: number; op: 'stop' };

export type ServerReply = { type: 'reply'; id: number; ok: true; result: unknown } | { type: 'reply'; id: number; ok: false; error: string };

/** Process CPU time, microseconds (user + system, every thread of the process). */
export type CpuMicros = number;

export interface ServerHooks {
  register(clients: ClientMetadata[]): Promise<void>;
  queries(): QueryTally | undefined;
  stop(): Promise<void>;
}

/**
 * Child side: answers the parent's requests with `hooks` until told to stop, then exits, which
 * is also when `--cpu-prof` writes its profile.
 */
export function serveParent(ready: ServerReady, hooks: ServerHooks): void {
  const send = (message: ServerReady | ServerReply) => process.send!(message);
  process.on('message', async function answerParent(request: ServerRequest) {
    try {
      let result: unknown = null;
      if (request.op === 'register') await hooks.register(request.clients);
      else if (request.op === 'cpu') {
        const { user, system } = process.cpuUsage();
        result = user + system;
      } else if (request.op === 'queries') result = hooks.queries() ?? null;
      else await hooks.stop();
      send({ type: 'reply', id: request.id, ok: true, result });
      if (request.op === 'stop') process.disconnect();
    } catch (error) {
      send({ type: 'reply', id: request.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
  });
  // The parent died without saying stop: do not linger.
  process.on('disconnect', () => process.exit(0));
  send(ready);
}
