import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs for machines; pretty lines when a person watches a terminal. Secrets that may ride
 * along on request objects are redacted at the source.
 */
export function createLogger(level: string, pretty = process.stdout.isTTY): Logger {
  const options = {
    level,
    base: { service: 'portcullis' },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers.dpop', '*.password', '*.client_assertion'],
  };
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } });
  // The gateway logs every call: lines are gathered and written asynchronously, 4 KiB or a quarter
  // of a second at a time, rather than a write each (pino flushes what is pending on exit; a
  // SIGKILL loses at most that much).
  return pino(options, pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 }));
}

/** A command-line tool's log: warnings and errors only, on stderr, since its stdout is its result. */
export function createCliLogger(): Logger {
  return pino({ level: 'warn', base: { service: 'portcullis-cli' } }, pino.destination({ dest: 2, sync: true }));
}
