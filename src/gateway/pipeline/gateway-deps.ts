import type { AuditLog } from '../../audit/audit-log.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Clock } from '../../shared/clock.ts';
import type { GatewayApi, GatewayPlan } from '../catalogue/catalogue.types.ts';
import type { RouteTable } from '../routing/route-table.ts';
import type { UpstreamClient } from '../upstream/upstream-client.ts';
import type { Caller, GatewayCall } from './gateway-state.ts';

/*
 * What the pipeline's steps work with, given once when the gateway is built (`gateway.ts`). Each
 * is a narrow port, so that a step sees only what it uses and tests can hand it a real part or a
 * small stand-in.
 */

/**
 * Why a presented credential was refused; told apart only where the caller may know. An access
 * token's holder may fail to prove it holds it: `wrong_scheme` (a DPoP-bound token sent as a bearer
 * one, or the reverse), `unverifiable_binding` (bound to something this listener cannot check),
 * `invalid_proof` (the DPoP proof), `wrong_key` (a proof by another key than the token's).
 */
export type CredentialRefusal =
  | 'unknown' | 'suspended' | 'invalid' | 'expired' | 'wrong_audience' | 'revoked'
  | 'wrong_scheme' | 'unverifiable_binding' | 'invalid_proof' | 'wrong_key';

/** The HTTP authentication schemes an access token travels in (RFC 6750 §2.1, RFC 9449 §7.1). */
export type TokenScheme = 'Bearer' | 'DPoP';

export type Authenticated =
  | { caller: Caller }
  /** `scheme`: the challenge to answer with, when it is not the one the token came in. */
  | { refused: CredentialRefusal; description: string; scheme?: TokenScheme };

/** An access token as a request presents it, with what proves its holder sent it. */
export interface PresentedToken {
  scheme: TokenScheme;
  token: string;
  /**
   * The request's DPoP proofs (RFC 9449 §4.3 accepts exactly one) and the method and public URL
   * they must name; `proven` for a composite route's part, whose caller proved it on the
   * composite call.
   */
  possession: { proofs: readonly string[]; method: string; url: string } | 'proven';
}

export interface Credentials {
  /** `api-key`: the key from the API's header, checked by its hash (cached). */
  apiKey(presented: string): Promise<Authenticated>;
  /**
   * `oauth2`: a JWT access token from the API's issuer (ours unless configured), presented by its
   * holder when it is bound to a key (`cnf`).
   */
  bearer(api: GatewayApi, presented: PresentedToken): Promise<Authenticated>;
  /** The plans an application is actively subscribed to (cached). */
  subscribedPlanIds(applicationId: string): Promise<readonly string[]>;
}

export type LimitOutcome =
  | { admitted: true; headers: Record<string, string> }
  | { admitted: false; reason: 'rate' | 'quota'; retryAfterSeconds: number; headers: Record<string, string> }
  | { admitted: false; reason: 'unavailable'; retryAfterSeconds: number };

export interface Limits {
  consume(input: { applicationId: string; plan: GatewayPlan; routeId: string; routeLimits?: { perSecond?: number; perMinute?: number } }): Promise<LimitOutcome>;
}

/**
 * The caller's identity for the upstream, signed for whichever target the upstream client picks
 * (its URL is the audience): given the call, a function of the target URL.
 */
export type SignIdentity = (caller: Caller, call: { apiId: string; routeId: string }) => (targetUrl: string) => string;

/** What the record step hands to analytics and metrics, once the response is finished. */
export interface CallFacts {
  at: Date;
  /** The call's state as the steps left it (for the audit entry). */
  call: GatewayCall;
  api: GatewayApi | undefined;
  routeId: string | null;
  routeTemplate: string | null;
  method: string;
  caller: Caller | undefined;
  plan: GatewayPlan | undefined;
  status: number;
  totalMs: number;
  upstreamMs: number | null;
  requestBytes: number;
  responseBytes: number;
  interactionId: string | undefined;
}

export interface GatewayDeps {
  /** The route table now; a catalogue change swaps it. */
  routes(): RouteTable;
  credentials: Credentials;
  limits: Limits;
  upstreams: Pick<UpstreamClient, 'forward'>;
  signIdentity: SignIdentity;
  /** The audit log: required entries before forwarding (`requireCallAudit`). */
  audit: Pick<AuditLog, 'recordRequired'>;
  /** Called once per call, after its response is finished (or the connection dropped). */
  record(facts: CallFacts): void;
  /** Where the successor of a deprecated API is linked from. */
  publicBaseUrl: string;
  /** Largest request body the gateway forwards, bytes. */
  maxBodyBytes: number;
  clock: Clock;
  logger: Logger;
}
