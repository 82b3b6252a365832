/** How long a developer is asked to wait: time for a relay restart or a failover, in seconds. */
const RETRY_AFTER_SECONDS = 60;

/**
 * A send that failed: the server was unreachable, slow, refused TLS, our credentials or the
 * message. The portal's error page answers it with 503, `Retry-After` and its message, which is
 * written for the developer and says nothing of the failure.
 *
 * `code` is nodemailer's (`ECONNECTION`, `ESOCKET`, `ETIMEDOUT`, `ETLS`, `EAUTH`, `EENVELOPE`,
 * `EMESSAGE`, `EABORT` when the send deadline passed, …); `cause` has the server's reply with
 * every address in it replaced by `[address]`, so that logging the error cannot leak a
 * developer's email.
 */
export class MailUnavailable extends Error {
  readonly status = 503;
  /** A 5xx shown on purpose: the message is the fixed sentence below, the detail stays in `cause`. */
  readonly expose = true;
  /** RFC 9110 §10.2.3. Carrying its own headers also keeps the error page from taking it for a store outage. */
  readonly headers = { 'Retry-After': String(RETRY_AFTER_SECONDS) };
  readonly code: string;

  constructor(code: string, options: { cause: Error }) {
    super('We could not send the mail just now. Please try again in a minute.', options);
    this.name = 'MailUnavailable';
    this.code = code;
  }
}
