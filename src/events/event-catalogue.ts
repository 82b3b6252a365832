/*
 * Every domain event Portcullis emits, by name, with its payload: the seam that audit, analytics
 * and cache invalidation listen on (issues 11 and 14). Names are `noun.past_verb`. Payloads carry
 * identifiers and facts, never secrets or personal data beyond the ids a bank already logs.
 *
 * All of them are emitted after the change they describe has committed, by the service that made
 * it, so a listener never sees a change that was rolled back. An event that must never be lost
 * (an admin change's audit entry, a revocation other instances must learn of) will also be written
 * to an outbox in the change's own transaction when the audit log arrives; until then the bus is
 * in-process only.
 */

/** Who made a change. */
export type EventActor = 'partner' | 'customer' | 'ops' | 'system';

export interface DomainEvents {
  /** A partner created a consent (consent API), or a customer's authorization created one from RAR details. */
  'consent.created': { consentId: string; kind: string; clientId: string };
  /** A consent moved along its status machine. */
  'consent.status_changed': { consentId: string; kind: string; clientId: string; from: string | null; to: string; actor: EventActor; reason?: string; customerId?: string; grantId?: string };
  /** A grant and every token under it were revoked (a consent ended, a code or refresh token was reused, a partner revoked a token). */
  'grant.revoked': { grantId: string; reason: 'consent_ended' | 'token_reuse' | 'revocation_endpoint' | 'authorisation_abandoned' };
  /** A client was registered, by dynamic registration (with a software statement) or by ops. */
  'client.registered': { clientId: string; via: 'registration' | 'ops'; softwareId?: string };
  /** A client's registration was replaced (RFC 7592 update, or ops with --replace). */
  'client.updated': { clientId: string; via: 'registration' | 'ops' };
  /** A client's registration was deleted (RFC 7592 delete, or ops). */
  'client.deleted': { clientId: string; via: 'registration' | 'ops' };
  /** The bank suspended a client (the authorization server and the gateway refuse it) or reactivated it. */
  'client.status_changed': { clientId: string; status: 'active' | 'suspended'; actor: EventActor };
  /** An organisation was created (portal sign-up, console, declarative config). */
  'organisation.created': { organisationId: string; name: string };
  /** A developer joined an organisation, left or was removed from it, or was given another role, in the portal. */
  'organisation.member_changed': { organisationId: string; developerId: string; change: 'added' | 'removed' | 'role_changed'; role?: 'owner' | 'developer'; actor: EventActor; byDeveloperId?: string };
  /** An application was created in an organisation. */
  'application.created': { applicationId: string; organisationId: string; clientId?: string };
  /** An application was suspended (its calls are refused) or reactivated. */
  'application.status_changed': { applicationId: string; status: 'active' | 'suspended' };
  /** An API key was issued to an application; `replaces` names the key a rotation retires. */
  'api_key.issued': { keyId: string; applicationId: string; prefix: string; replaces?: { keyId: string; expiresAt: Date } };
  /** An API key was revoked: from now on it authenticates nobody. */
  'api_key.revoked': { keyId: string; applicationId: string; prefix: string };
  /** An API (with its routes) was created, changed or deleted, through the admin API or declarative config. */
  'api.changed': { apiId: string; change: 'created' | 'updated' | 'deleted'; actor: EventActor };
  /** An API moved along its lifecycle (draft → published → deprecated → retired). */
  'api.lifecycle_changed': { apiId: string; from: string; to: string; actor: EventActor; sunsetAt?: Date };
  /** A plan was created, changed or deleted. */
  'plan.changed': { planId: string; change: 'created' | 'updated' | 'deleted'; actor: EventActor };
  /** An application's subscription to a plan was requested, approved, refused or cancelled. */
  'subscription.status_changed': { subscriptionId: string; applicationId: string; planId: string; status: 'requested' | 'active' | 'refused' | 'cancelled'; actor: EventActor };
  /**
   * This instance's link to the others was down for a while (LISTEN/NOTIFY reconnected): events
   * may have been missed, so caches drop what they hold.
   */
  'events.resynced': Record<string, never>;
  /** New signing keys were published; each signs from `activatesAt`. */
  'signing_key.rotated': { keys: Array<{ alg: string; kid: string; activatesAt: Date }>; retiredKids: string[] };
  /** An instance reloaded the signing keys it publishes and signs with. */
  'signing_keys.reloaded': { kids: string[] };
  /** A console operator account was created (CLI, the console, a development start). */
  'operator.created': { operatorId: string; role: 'viewer' | 'operator' | 'admin'; actor: OperatorActor };
  /**
   * An operator passed both factors (or single sign-on, `method: 'sso'`, with the provider's
   * `acr` and `amr` for how it authenticated them) and holds a console session.
   */
  'operator.signed_in': { operatorId: string; actor: OperatorActor; method?: 'password' | 'sso'; acr?: string; amr?: string[] };
  /** A console sign-in step was refused: the address typed (never the password or code), which step, and why. */
  'operator.sign_in_failed': { email: string; step: 'password' | 'code' | 'sso'; reason: 'wrong' | 'throttled' | 'replayed' | OperatorSsoRefusal; operatorId?: string; actor: OperatorActor };
  /** An operator signed out of the console. */
  'operator.signed_out': { operatorId: string; actor: OperatorActor };
  /** An operator set up their authenticator app (TOTP) and confirmed it with a code. */
  'operator.enrolled': { operatorId: string; actor: OperatorActor };
  /** An admin gave an operator another role. */
  'operator.role_changed': { operatorId: string; from: 'viewer' | 'operator' | 'admin'; to: 'viewer' | 'operator' | 'admin'; actor: OperatorActor };
  /** An admin disabled an operator: their sessions end and they can no longer sign in. */
  'operator.disabled': { operatorId: string; actor: OperatorActor };
}

/**
 * Why single sign-on was refused: nobody known (and no role mapping), disabled, the provider gives no
 * console role, the address found is bound to another identity, the provider said no
 * (`access_denied`…), its answer did not check out (state, nonce, code), or it could not be reached.
 */
export type OperatorSsoRefusal = 'unknown' | 'disabled' | 'no-role' | 'subject-mismatch' | 'provider-refused' | 'invalid-response' | 'unreachable';

/** Who did something in the console: the operator by id, ops at the command line, or nobody yet (an unknown address). */
export type OperatorActor = `operator:${string}` | 'ops' | 'system';

export type EventName = keyof DomainEvents;

/**
 * The events every instance must hear of, whichever emitted them (`cross-instance-bridge.ts`):
 * all but those about the emitting instance itself.
 */
export const CROSS_INSTANCE_EVENTS: readonly EventName[] = [
  'consent.created', 'consent.status_changed', 'grant.revoked', 'client.registered', 'client.updated', 'client.deleted', 'client.status_changed',
  'organisation.created', 'organisation.member_changed', 'application.created', 'application.status_changed', 'api_key.issued', 'api_key.revoked',
  'api.changed', 'api.lifecycle_changed', 'plan.changed', 'subscription.status_changed', 'signing_key.rotated',
  'operator.created', 'operator.role_changed', 'operator.disabled',
];

/**
 * The events the audit log records (`audit-domain-events.ts`): every change other instances hear
 * of, and the operators' own sign-in steps, which concern only the instance that served them.
 */
export const AUDITED_EVENTS: readonly EventName[] = [
  ...CROSS_INSTANCE_EVENTS, 'operator.signed_in', 'operator.sign_in_failed', 'operator.signed_out', 'operator.enrolled',
];

/** An event as listeners receive it: its name, payload, and when it happened (the bus's clock). */
export interface DomainEvent<N extends EventName = EventName> {
  name: N;
  payload: DomainEvents[N];
  at: Date;
  /** Emitted by another instance and carried here by the LISTEN/NOTIFY bridge. */
  remote: boolean;
}
