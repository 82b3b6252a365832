import type { PartnerToken } from './access/verify-access-token.ts';

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
    /** A resource-API request's partner. */
    partner?: PartnerContext;
    /** A resource-API POST's well-formed `x-idempotency-key`, when it sent one. */
    idempotencyKey?: string;
    /** A resource-API request's JSON body: the bytes received and their parse. */
    obRequest?: { raw: string; parsed: unknown };
  }
}
