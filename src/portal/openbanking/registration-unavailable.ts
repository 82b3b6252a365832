/** How long a developer is asked to wait: time for the authorization server's listener to come back, in seconds. */
const RETRY_AFTER_SECONDS = 30;

/**
 * The bank's registration endpoint could not be reached, timed out or failed (5xx). The portal's
 * error page answers it with 503, `Retry-After` and its message, which is written for the
 * developer; what went wrong stays in `cause`, for the log.
 */
export class RegistrationUnavailable extends Error {
  readonly status = 503;
  /** A 5xx shown on purpose: the message is the fixed sentence below. */
  readonly expose = true;
  /** RFC 9110 §10.2.3. Carrying its own headers also keeps the error page from taking it for a store outage. */
  readonly headers = { 'Retry-After': String(RETRY_AFTER_SECONDS) };

  constructor(options: { cause: unknown }) {
    super('The bank\'s registration endpoint is not answering just now. Nothing was registered: try again in a minute.', options);
    this.name = 'RegistrationUnavailable';
  }
}
