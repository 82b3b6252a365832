import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs for machines; pretty lines when a person watches a terminal. Secrets that may ride
 * along on request objects are redacted at the source.
 */
export function createLogger(level: string, pretty = process.stdout.isTTY): Logger {
  return pino({
    level,
    base: { service: 'portcullis' },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers.dpop', '*.password', '*.client_assertion'],
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } } : {}),
  });
}
