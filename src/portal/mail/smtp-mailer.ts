/*
 * The portal's mail in production: a pooled nodemailer SMTP transport, configured from one URL
 * (`SMTP_URL`).
 *
 * TLS policy, for a relay that carries developers' sign-in links and our own relay password:
 * - `smtps://host` (port 465 unless given) speaks TLS from the first byte (RFC 8314 §3.3).
 * - `smtp://host` (port 587 unless given) must upgrade with STARTTLS (RFC 3207) before it
 *   authenticates or sends anything: a server that does not offer it, or whose certificate does
 *   not verify, fails the send. Nothing falls back to plaintext by itself.
 * - `smtp://host?tls=off` is the one way to plaintext, for a relay on the same host or a test
 *   server. It refuses credentials, which would cross the network in the clear.
 * Certificates are always verified, against Node's CA list or the `ca` given instead.
 *
 * We parse the URL and hand nodemailer explicit options, never the URL: nodemailer reads options
 * from a URL's query, `tls.rejectUnauthorized=false` among them.
 *
 * Each step is bounded by a timeout below, and a send as a whole by `SEND_DEADLINE_MS`, so a dead
 * or stalling server costs a request seconds, never a hung connection. Any failure becomes
 * `MailUnavailable`, and the recipient's address and the body reach neither its message nor its
 * cause, so logging it cannot leak a developer's email.
 */
import { createTransport } from 'nodemailer';

import type { Mailer } from './mailer.ts';

/** TCP connect, ms. A relay answers a SYN within a second; 5 s covers two SYN retransmits. */
const CONNECTION_TIMEOUT_MS = 5_000;
/** From connect to the server's 220 greeting, ms. Servers greet at once unless overloaded. */
const GREETING_TIMEOUT_MS = 5_000;
/** Resolving the relay's name, ms. */
const DNS_TIMEOUT_MS = 5_000;
/** Silence on an open connection, ms: a server scanning a message before its 250 may think. */
const SOCKET_TIMEOUT_MS = 10_000;
/**
 * A whole send, queueing in the pool included, ms. A server that trickles a reply a line at a
 * time never trips the silence timeout; this ends it (the connection is closed, the send fails).
 */
const SEND_DEADLINE_MS = 15_000;
/** What `MailUnavailable` suggests as Retry-After: time for a relay restart or a failover. */
const RETRY_AFTER_SECONDS = 60;

/** Where the mail server is and how to reach it, as `readSmtpUrl` reads it from `SMTP_URL`. */
export interface SmtpServer {
  host: string;
  port: number;
  /** `implicit` for `smtps:`, `starttls` (required) for `smtp:`, `none` only with `?tls=off`. */
  tls: 'implicit' | 'starttls' | 'none';
  /** From the URL's user info, percent-decoded; absent when the URL has none. */
  auth?: { user: string; pass: string };
}

/**
 * Reads and checks `SMTP_URL`, for configuration to fail fast at startup. Error messages name
 * `SMTP_URL` and never repeat the URL, which may hold a password.
 *
 * @throws {TypeError} for anything but `smtp://[user:pass@]host[:port][?tls=off]` or
 *   `smtps://[user:pass@]host[:port]`.
 *
 * @example
 * readSmtpUrl('smtp://portal:secret@relay.bank.example'); // port 587, STARTTLS required
 * readSmtpUrl('smtp://127.0.0.1:1025?tls=off');            // a local relay, plaintext, no auth
 */
export function readSmtpUrl(url: string): SmtpServer {
  const parsed = URL.parse(url);
  if (!parsed) throw new TypeError('SMTP_URL is not a URL');
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new TypeError('SMTP_URL must start with smtp:// or smtps://');
  if (!parsed.hostname) throw new TypeError('SMTP_URL has no host');
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.hash) throw new TypeError('SMTP_URL must have no path or fragment');
  if (parsed.port === '0') throw new TypeError('SMTP_URL has port 0');
  const implicit = parsed.protocol === 'smtps:';

  const keys = [...parsed.searchParams.keys()];
  if (keys.some((key) => key !== 'tls') || keys.length > 1) throw new TypeError('SMTP_URL accepts one query parameter only: tls=off');
  const plaintext = keys.length === 1;
  if (plaintext && (implicit || parsed.searchParams.get('tls') !== 'off')) throw new TypeError('SMTP_URL: tls=off is the only tls value, and only for smtp://');

  const auth = readCredentials(parsed);
  if (plaintext && auth) throw new TypeError('SMTP_URL: tls=off refuses a user and password, which would be sent in the clear');

  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : implicit ? 465 : 587,
    tls: implicit ? 'implicit' : plaintext ? 'none' : 'starttls',
    ...(auth && { auth }),
  };
}

function readCredentials(url: URL): SmtpServer['auth'] {
  if (!url.username && !url.password) return undefined;
  if (!url.username || !url.password) throw new TypeError('SMTP_URL needs both a user and a password, or neither');
  try {
    return { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  } catch {
    throw new TypeError('SMTP_URL has a badly percent-encoded user or password');
  }
}

/**
 * A send that failed: the server was unreachable, slow, refused TLS, our credentials or the
 * message. Answer 503 with Retry-After. `code` is nodemailer's (`ECONNECTION`, `ETIMEDOUT`,
 * `ETLS`, `EAUTH`, `EENVELOPE`, `EMESSAGE`, `EABORT` when the deadline passed, …); `cause` has
 * the server's reply with every address in it replaced by `[address]`.
 */
export class MailUnavailable extends Error {
  readonly status = 503;
  /** 5xx: nothing but the status is meant for the client. */
  readonly expose = false;
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  readonly code: string;

  constructor(code: string, options: { cause: Error }) {
    super(`mail server unavailable (${code})`, options);
    this.name = 'MailUnavailable';
    this.code = code;
  }
}

/** The SMTP mailer, and `close` to end its pooled connections at shutdown. */
export interface SmtpMailer extends Mailer {
  close(): void;
}

/**
 * A mailer sending through the server in `url` (see `readSmtpUrl`), as `from`.
 *
 * @param options.ca Trust anchors (PEM) used instead of Node's CA list: a private relay's CA.
 *
 * @example
 * const mailer = smtpMailer({ url: config.smtpUrl, from: 'Portcullis <no-reply@bank.example>' });
 * await mailer.send({ to, subject, text }); // rejects with MailUnavailable
 */
export function smtpMailer(options: { url: string; from: string; ca?: string | Buffer }): SmtpMailer {
  const server = readSmtpUrl(options.url);
  const transport = createTransport({
    pool: true,
    host: server.host,
    port: server.port,
    secure: server.tls === 'implicit',
    requireTLS: server.tls === 'starttls',
    ignoreTLS: server.tls === 'none',
    ...(server.auth && { auth: server.auth }),
    // Pinned rather than left to Node's default, which a `--tls-min-v1.0` flag would lower.
    tls: { minVersion: 'TLSv1.2', ...(options.ca && { ca: options.ca }) },
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    dnsTimeout: DNS_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // A `Mail` is for one developer: an address list smuggled into `to` fails instead of fanning out.
    maxRecipients: 1,
    // nodemailer's log lines carry envelopes; ours are the caller's, with MailUnavailable.
    logger: false,
  });

  return {
    async send(mail) {
      try {
        await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, signal: AbortSignal.timeout(SEND_DEADLINE_MS) });
      } catch (error) {
        throw unavailable(error, mail.to);
      }
    },
    close() {
      transport.close();
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
