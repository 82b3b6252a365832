import type { ObErrorDetail } from '../openbanking/ob-error.ts';

/**
 * A request refused at the edge of a listener, before any endpoint saw it, said once in words that
 * every error family can use: `sendRefusal` answers it through the family's own renderer,
 * `writeRefusal` straight to a socket when there is no request to answer.
 */
export interface Refusal {
  /** 4xx. */
  status: number;
  /** RFC 6749 `error_description` of an `invalid_request`, and the error page's message. */
  description: string;
  /** `OBErrorResponse1.Errors` on the Open Banking APIs. */
  obErrors: readonly ObErrorDetail[];
  /**
   * The client identifier itself is unreadable: OAuth endpoints answer as for a client that does
   * not exist (401 `invalid_client`, RFC 6749 §5.2), which it cannot.
   */
  unknownClient?: boolean;
}
