/*
 * The portal's mail in production: a pooled nodemailer SMTP transport to the server `SMTP_URL`
 * names (`src/config/smtp-url.ts` reads it, and holds the TLS policy). Certificates are always
 * verified, against Node's CA list or the `ca` given instead.
 *
 * Each step is bounded by a timeout (`SMTP_TIMEOUTS`), and a send as a whole by a deadline, so a dead
 * or stalling server costs a request seconds, never a hung connection. Any failure becomes
 * `MailUnavailable`, and the recipient's address and the body reach neither its message nor its
 * cause, so logging it cannot leak a developer's email.
 */
import type { Transporter } from 'nodemailer';

import { MailUnavailable } from './mail-unavailable.ts';
import type { Mailer } from './mailer.ts';
import type { SmtpServer } from '../../config/smtp-url.ts';

/** How long each step of a send may take, ms. */
export interface SmtpTimeouts {
  /** TCP connect. A relay answers a SYN within a second; 5 s covers two SYN retransmits. */
  connectionMs: number;
  /** From connect to the server's 220 greeting. Servers greet at once unless overloaded. */
  greetingMs: number;
  /** Resolving the relay's name. */
  dnsMs: number;
  /** Silence on an open connection: a server scanning a message before its 250 may think. */
  socketMs: number;
  /**
   * A whole send, queueing in the pool included. A server that trickles a reply a line at a time
   * never trips the silence timeout; this ends it (the connection is closed, the send fails).
   */
  sendDeadlineMs: number;
}

export const SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 5_000, greetingMs: 5_000, dnsMs: 5_000, socketMs: 10_000, sendDeadlineMs: 15_000 };

/** The SMTP mailer, and `close` to end its pooled connections at shutdown. */
export interface SmtpMailer extends Mailer {
  close(): void;
}

/**
 * A mailer sending through `server` (see `readSmtpUrl`), as `from` (`MAIL_FROM`).
 *
 * @param options.ca Trust anchors (PEM) used instead of Node's CA list: a private relay's CA.
 * @param options.timeouts Other bounds than `SMTP_TIMEOUTS` (the tests' stalling servers).
 *
 * @example
 * const mailer = smtpMailer({ server: config.mail.smtp, from: config.mail.from });
 * await mailer.send({ to, subject, text }); // rejects with MailUnavailable
 * mailer.close();                           // at shutdown
 */
export function smtpMailer(options: { server: SmtpServer; from: string; ca?: string | Buffer; timeouts?: SmtpTimeouts }): SmtpMailer {
  const { server, timeouts = SMTP_TIMEOUTS } = options;
  // nodemailer is loaded, and its pool made, on the first send: most processes that start the
  // server never send mail, and loading it costs each about 90 ms.
  let transport: Promise<Transporter> | undefined;
  const transporter = () => (transport ??= import('nodemailer').then(({ createTransport }) => createTransport({
    pool: true,
    host: server.host,
    port: server.port,
    secure: server.tls === 'implicit',
    requireTLS: server.tls === 'starttls',
    ignoreTLS: server.tls === 'none',
    ...(server.auth && { auth: server.auth }),
    // Pinned rather than left to Node's default, which a `--tls-min-v1.0` flag would lower.
    tls: { minVersion: 'TLSv1.2', ...(options.ca && { ca: options.ca }) },
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    dnsTimeout: timeouts.dnsMs,
    socketTimeout: timeouts.socketMs,
    // A `Mail` is for one developer: an address list smuggled into `to` fails instead of fanning out.
    maxRecipients: 1,
    // nodemailer's log lines carry envelopes; ours are the caller's, with MailUnavailable.
    logger: false,
  })));

  return {
    async send(mail) {
      try {
        await (await transporter()).sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, signal: AbortSignal.timeout(timeouts.sendDeadlineMs) });
      } catch (error) {
        throw unavailable(error, mail.to);
      }
    },
    close() {
      void transport?.then((pooled) => pooled.close());
    },
  };
}

/** Anything that looks like an address, as servers echo them in replies (`550 <a@b>: unknown`). */
const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/**
 * Rebuilds nodemailer's error without what could identify the developer: its message and server
 * reply with addresses redacted, and none of its `rejected`, `envelope` or nested errors.
 */
function unavailable(error: unknown, recipient: string): MailUnavailable {
  const failure = (error ?? {}) as { code?: unknown; message?: unknown; responseCode?: unknown; command?: unknown };
  const code = typeof failure.code === 'string' ? failure.code : 'EUNKNOWN';
  const text = String(failure.message ?? error);
  // The exact address first: a quoted local part ("a b"@host) escapes the pattern.
  const message = (recipient ? text.replaceAll(recipient, '[address]') : text).replace(ADDRESS, '[address]');
  const cause = Object.assign(new Error(message), {
    code,
    ...(typeof failure.responseCode === 'number' && { responseCode: failure.responseCode }),
    ...(typeof failure.command === 'string' && { command: failure.command }),
  });
  return new MailUnavailable(code, { cause });
}
