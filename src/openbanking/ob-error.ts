/*
 * The error every resource API (consents now; accounts, payments and funds confirmation behind the
 * gateway later) throws. One middleware (`ob-error-response.ts`) turns it into the Open Banking
 * `OBErrorResponse1` body; services and routes never build error bodies themselves.
 */

/** The `UK.OBIE.*` error codes of OBError1.ErrorCode (Read/Write API v3.1.11). */
export type ObErrorCode =
  | 'UK.OBIE.Field.Expected'
  | 'UK.OBIE.Field.Invalid'
  | 'UK.OBIE.Field.InvalidDate'
  | 'UK.OBIE.Field.Missing'
  | 'UK.OBIE.Field.Unexpected'
  | 'UK.OBIE.Header.Invalid'
  | 'UK.OBIE.Header.Missing'
  | 'UK.OBIE.Reauthenticate'
  | 'UK.OBIE.Resource.ConsentMismatch'
  | 'UK.OBIE.Resource.InvalidConsentStatus'
  | 'UK.OBIE.Resource.InvalidFormat'
  | 'UK.OBIE.Resource.NotFound'
  | 'UK.OBIE.Rules.AfterCutOffDateTime'
  | 'UK.OBIE.Rules.DuplicateReference'
  | 'UK.OBIE.Signature.Invalid'
  | 'UK.OBIE.Signature.InvalidClaim'
  | 'UK.OBIE.Signature.Malformed'
  | 'UK.OBIE.Signature.Missing'
  | 'UK.OBIE.Signature.MissingClaim'
  | 'UK.OBIE.Signature.Unexpected'
  | 'UK.OBIE.UnexpectedError'
  | 'UK.OBIE.Unsupported.AccountIdentifier'
  | 'UK.OBIE.Unsupported.AccountSecondaryIdentifier'
  | 'UK.OBIE.Unsupported.Currency'
  | 'UK.OBIE.Unsupported.Frequency'
  | 'UK.OBIE.Unsupported.LocalInstrument'
  | 'UK.OBIE.Unsupported.Scheme';

/** One entry of `OBErrorResponse1.Errors`. */
export interface ObErrorDetail {
  ErrorCode: ObErrorCode;
  /** Client-safe words; OB caps it at 500 characters. */
  Message: string;
  /** JSON path of the offending field (`Data.Initiation.InstructedAmount.Currency`) or header name. */
  Path?: string;
}

/**
 * A resource-API failure: the HTTP status and the `Errors` to send. `expose` is false for 5xx, so
 * that only a generic message leaves the bank; internal detail goes in `cause` and the log.
 * `headers` go out with the error response, for the few statuses that need one
 * (`WWW-Authenticate` on a 401, RFC 6750 §3; `Retry-After` on a 429).
 */
export class ObError extends Error {
  readonly status: number;
  readonly errors: readonly ObErrorDetail[];
  readonly expose: boolean;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, errors: readonly ObErrorDetail[], options?: { cause?: unknown; headers?: Record<string, string> }) {
    super(errors.map((error) => `${error.ErrorCode}: ${error.Message}`).join('; '), options);
    this.name = 'ObError';
    this.status = status;
    this.errors = errors;
    this.expose = status < 500;
    this.headers = options?.headers ?? {};
  }
}

/** A 400 with one error: the most common failure. */
export function badRequest(ErrorCode: ObErrorCode, Message: string, Path?: string): ObError {
  return new ObError(400, [Path === undefined ? { ErrorCode, Message } : { ErrorCode, Message, Path }]);
}
