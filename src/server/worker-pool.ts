import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';

import type { Logger } from '../observability/logger.ts';

/** What a worker tells the primary once its listeners are open. */
export interface WorkerReady<T> {
  type: 'portcullis.ready';
  summary: T;
}

// A worker that dies within this long of its start is failing to start, not crashing: the pool stops.
const START_GRACE_MS = 30_000;
const RESTART_DELAY_MS = 1_000;

function ready<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.on('message', (message: WorkerReady<T>) => {
      if (message?.type === 'portcullis.ready') resolve(message.summary);
    });
    worker.once('exit', (code, signal) => reject(new Error(`worker ${worker.process.pid} exited before it was ready (${signal ?? code})`)));
  });
}

/**
 * The primary of `WORKERS` processes sharing the listeners' ports (Node's cluster spreads
 * connections across them). The first worker starts alone, so that whatever a first start
 * creates (migrations, development certificates and secrets, signing keys, the sandbox bank) is
 * created once; the others then start together. A worker that crashes later is replaced; SIGTERM
 * and SIGINT are passed to every worker, and the primary exits when they have.
 */
export async function runWorkerPool<T>(count: number, logger: Logger, onReady: (summary: T) => void): Promise<void> {
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    const startedAt = Date.now();
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      logger.error({ pid: worker.process.pid, code, signal }, 'worker.exited');
      if (Date.now() - startedAt < START_GRACE_MS) return;
      setTimeout(() => {
        if (!stopping) fork();
      }, RESTART_DELAY_MS);
    });
    return worker;
  };

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down workers');
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    await Promise.all(workers.map(async (worker) => {
      const exited = once(worker, 'exit');
      worker.process.kill(signal);
      await exited;
    }));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  try {
    const summary = await ready<T>(fork());
    await Promise.all(Array.from({ length: count - 1 }, () => ready<T>(fork())));
    onReady(summary);
  } catch (error) {
    logger.error({ err: error }, 'workers.failed_to_start');
    await stop('SIGTERM');
  }
}
