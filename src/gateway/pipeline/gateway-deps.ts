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

/** Why a presented credential was refused; told apart only where the caller may know. */
export type CredentialRefusal = 'unknown' | 'suspended' | 'invalid' | 'expired' | 'wrong_audience' | 'revoked';

export type Authenticated = { caller: Caller } | { refused: CredentialRefusal; description: string };

export interface Credentials {
  /** `api-key`: the key from the API's header, checked by its hash (cached). */
  apiKey(presented: string): Promise<Authenticated>;
  /** `oauth2`: a JWT bearer token from the API's issuer (ours unless configured). */
  bearer(api: GatewayApi, token: string): Promise<Authenticated>;
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
