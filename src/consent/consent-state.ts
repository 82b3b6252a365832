import type { PartnerToken } from './access/verify-access-token.ts';
import type { PendingConsent } from './authorization/pending-consent.service.ts';
import type { DashboardSession } from './dashboard/dashboard-session.ts';

/** The partner behind a resource-API request, once its access token has been checked. */
export interface PartnerContext {
  token: PartnerToken;
  clientId: string;
  /** From its software statement: the signer of its messages is `<orgId>/<softwareId>`. */
  orgId: string | undefined;
  softwareId: string | undefined;
  jwks: { keys: object[] } | undefined;
  jwksUri: string | undefined;
}

declare module 'koa' {
  interface DefaultState {
    /** The consent the interaction's authorization is for, once resolved (none for sign-in only). */
    pendingConsent?: PendingConsent;
    /** The Connected apps dashboard's session, once its cookie has been checked (absent: signed out). */
    dashboardSession?: DashboardSession;
    /** A resource-API request's partner. */
    partner?: PartnerContext;
    /** A resource-API POST's well-formed `x-idempotency-key`, when it sent one. */
    idempotencyKey?: string;
    /** A resource-API request's JSON body: the bytes received and their parse. */
    obRequest?: { raw: string; parsed: unknown };
  }
}
