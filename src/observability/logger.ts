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
  // The gateway logs every call: written asynchronously (pino flushes what is pending on exit),
  // lines that come together leave in one write instead of a blocking write each.
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

/** A command-line tool's log: warnings and errors only, on stderr, since its stdout is its result. */
export function createCliLogger(): Logger {
  return pino({ level: 'warn', base: { service: 'portcullis-cli' } }, pino.destination({ dest: 2, sync: true }));
}
