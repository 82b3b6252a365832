import type { Knex } from 'knex';

import { findConsent, findConsentIdByGrant, type Consent } from '../../consent/consent.store.ts';
import type { EventBus } from '../../events/event-bus.ts';
import type { Clock } from '../../shared/clock.ts';
import { ExpiringCache } from '../../shared/expiring-cache.ts';

export interface ConsentLookup {
  /** The consent by its id (what a JWT access token names), from memory when it can. */
  byId(consentId: string): Promise<Consent | undefined>;
  /** The consent behind a grant (an opaque token names only its grant). */
  byGrant(grantId: string): Promise<Consent | undefined>;
  close(): void;
}

/**
 * Consents as the gateway checks them on every Open Banking call: read once, then answered from
 * memory until their status changes (`consent.status_changed`, from any instance), which drops
 * them at once. `ttlMs` bounds how long a lost notification could matter.
 */
export function consentLookup(db: Knex, events: EventBus, clock: Clock, options: { ttlMs: number }): ConsentLookup {
  const now = () => clock.now().getTime();
  const consents = new ExpiringCache<string, Consent | null>({ maxEntries: 100_000, now });
  const grants = new ExpiringCache<string, string | null>({ maxEntries: 100_000, now });
  const stops = [
    events.on('consent.status_changed', ({ payload }) => consents.delete(payload.consentId)),
    events.on('events.resynced', () => {
      consents.clear();
      grants.clear();
    }),
  ];
  const byId = async (consentId: string) => {
    const cached = consents.get(consentId);
    if (cached !== undefined) return cached ?? undefined;
    const found = await findConsent(db, consentId);
    consents.set(consentId, found ?? null, options.ttlMs);
    return found;
  };
  return {
    byId,
    async byGrant(grantId) {
      let consentId = grants.get(grantId);
      if (consentId === undefined) {
        consentId = (await findConsentIdByGrant(db, grantId)) ?? null;
        grants.set(grantId, consentId, options.ttlMs);
      }
      return consentId ? byId(consentId) : undefined;
    },
    close() {
      for (const stop of stops) stop();
    },
  };
}
