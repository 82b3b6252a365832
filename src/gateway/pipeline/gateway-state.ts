import type { GatewayApi, GatewayPlan, GatewayRoute } from '../catalogue/catalogue.types.ts';
import type { ConsentView } from '../openbanking/filter-ob-response.ts';
import type { ResourcePolicy } from '../openbanking/ob-account-permissions.ts';
import type { PaymentSubmissionResource } from '../openbanking/ob-payment-resources.ts';
import type { PaymentSubmissionBody } from '../openbanking/payment-submission.service.ts';

/** Who is calling, once authenticated: what authorisation, limits, the upstream and the records see. */
export interface Caller {
  /** The application (API keys; OAuth clients linked to one). */
  applicationId?: string;
  organisationId?: string;
  keyId?: string;
  /** The OAuth client (`oauth2`, `fapi`). */
  clientId?: string;
  /** The token's subject: a customer (`fapi`), a user or service (`oauth2`). */
  subject?: string;
  scopes: ReadonlySet<string>;
  /** The token's claims (`oauth2`), for per-route claim rules. */
  claims?: Readonly<Record<string, unknown>>;
  consentId?: string;
  accountIds?: readonly string[];
  /** An account access consent's Permissions and transaction period, for the bank core (Open Banking). */
  permissions?: readonly string[];
  transactionPeriod?: { from?: string; to?: string };
}

/** One call through the gateway: filled in step by step, read by the steps after and by the records. */
export interface GatewayCall {
  /** `process.hrtime.bigint()` when the gateway took the call. */
  startedAt: bigint;
  api?: GatewayApi;
  route?: GatewayRoute;
  params: Record<string, string>;
  /** The path after the API's base path, as the upstream gets it. */
  upstreamPath: string;
  caller?: Caller;
  plan?: GatewayPlan;
  /** The grant behind a customer's access token (Open Banking). */
  grantId?: string | undefined;
  /** Open Banking: the resource's policy and what the consent lets the partner see, for the response filter. */
  obView?: { resource: ResourcePolicy; consent: ConsentView };
  /** The request body, when a step had to read it whole (validation); forwarded as read. */
  bufferedBody?: Buffer | undefined;
  /** Bodies captured for the audit entry (`captureBodies`), redacted. */
  captured?: { request?: unknown; response?: unknown };
  /** Open Banking payment submissions: what `executePaymentOnce` submits. */
  payment?: { submission: PaymentSubmissionResource; idempotencyKey: string; body: PaymentSubmissionBody; consentId: string };
  /**
   * Set by a step that reads the upstream's answer whole once it is forwarded (the Open Banking
   * filter, a payment, a composite route's part; `readWholeAnswer`): the most bytes it takes. The
   * answer then comes as a Buffer in `ctx.body` instead of streaming to the caller.
   */
  wholeAnswerLimit?: number;
  /** Milliseconds until the upstream's response headers. */
  upstreamMs?: number;
  requestBytes: number;
  responseBytes: number;
}

declare module 'koa' {
  interface DefaultState {
    gateway?: GatewayCall;
    /**
     * The access token this request's caller proved to hold (a DPoP proof is for one request): a
     * composite route's parts, requests of the gateway's own making, take it as proven.
     */
    provenAccessToken?: string;
  }
}

/** Asks for the call's answer whole, as a Buffer in `ctx.body`, of at most `limit` bytes (the smallest limit asked for holds). */
export function readWholeAnswer(call: GatewayCall, limit: number): void {
  call.wholeAnswerLimit = Math.min(call.wholeAnswerLimit ?? limit, limit);
}
