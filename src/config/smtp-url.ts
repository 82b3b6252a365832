/*
 * Reads `SMTP_URL`, the one setting that says where the portal's mail goes in production and how
 * it gets there. Configuration calls it at startup, so that a URL the mailer could not honour stops
 * the start instead of the first sign-up.
 *
 * TLS policy, for a relay that carries developers' sign-in links and our own relay password:
 * - `smtps://host` (port 465 unless given) speaks TLS from the first byte (RFC 8314 §3.3).
 * - `smtp://host` (port 587 unless given) must upgrade with STARTTLS (RFC 3207) before it
 *   authenticates or sends anything: a server that does not offer it, or whose certificate does
 *   not verify, fails the send. Nothing falls back to plaintext by itself.
 * - `smtp://host?tls=off` is the one way to plaintext, for a relay on the same host or a test
 *   server. It refuses credentials, which would cross the network in the clear.
 *
 * The mailer is handed these explicit options, never the URL: nodemailer reads options from a
 * URL's query, `tls.rejectUnauthorized=false` among them.
 */

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
 * Reads and checks `SMTP_URL`. Error messages name `SMTP_URL` and never repeat the URL, which may
 * hold a password.
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
