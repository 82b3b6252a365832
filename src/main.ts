import cluster from 'node:cluster';

import { ConfigError, loadConfig, type Config } from './config/config.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { startPortcullis } from './server/start.ts';
import { startupSummary } from './server/startup-summary.ts';
import { runWorkerPool } from './server/worker-pool.ts';

function exitOnConfigError(error: unknown): never {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(78);
}

/** Runs every role this process serves, prints (or, as a worker, reports) what it opened, and stops cleanly on a signal. */
async function serve(config: Config, logger: Logger): Promise<void> {
  const portcullis = await startPortcullis(config, logger).catch(exitOnConfigError);
  const summary = startupSummary(config, portcullis, config.workers);
  if (cluster.isWorker) process.send!({ type: 'portcullis.ready', summary });
  else console.log(summary);

  // A worker hears a terminal's Ctrl-C twice (its own, then the primary's): the second must not cut the first short.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    await portcullis.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  exitOnConfigError(error);
}
const logger = createLogger(config.logLevel);

// WORKERS > 1: this process only supervises, and the workers share the listeners' ports.
if (config.workers > 1 && cluster.isPrimary) await runWorkerPool<string>(config.workers, logger, (summary) => console.log(summary));
else await serve(config, logger);
