import type { Knex } from 'knex';

import type { EventBus } from '../../events/event-bus.ts';
import type { Clock } from '../../shared/clock.ts';
import { ExpiringCache } from '../../shared/expiring-cache.ts';

/** Grants still standing: the store keeps a grant until it is revoked (`revokeGrantTokens` deletes it). */
async function grantStands(db: Knex, grantId: string): Promise<boolean> {
  const row = await db('oidc_grants').first('id').where({ id: grantId }).andWhere((query) => query.whereNull('expires_at').orWhere('expires_at', '>', db.fn.now()));
  return row !== undefined;
}

export interface GrantLiveness {
  isLive(grantId: string): Promise<boolean>;
  close(): void;
}

/**
 * Whether a grant still stands, for self-contained (JWT) access tokens, which outlive nothing
 * their grant's revocation ended. Asked once per grant per `ttlMs`, then answered from memory;
 * `grant.revoked` (from any instance) makes it false at once, and a revoked grant never comes back.
 */
export function grantLiveness(db: Knex, events: EventBus, clock: Clock, options: { ttlMs: number }): GrantLiveness {
  const cache = new ExpiringCache<string, boolean>({ maxEntries: 100_000, now: () => clock.now().getTime() });
  const stops = [
    events.on('grant.revoked', ({ payload }) => cache.set(payload.grantId, false, options.ttlMs)),
    events.on('events.resynced', () => cache.clear()),
  ];
  return {
    async isLive(grantId) {
      const known = cache.get(grantId);
      if (known !== undefined) return known;
      const live = await grantStands(db, grantId);
      cache.set(grantId, live, options.ttlMs);
      return live;
    },
    close() {
      for (const stop of stops) stop();
    },
  };
}
