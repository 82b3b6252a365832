import type { Knex } from 'knex';

import type { EventBus } from '../../events/event-bus.ts';
import type { Clock } from '../../shared/clock.ts';
import { ExpiringCache } from '../../shared/expiring-cache.ts';

/** A client stands while it is registered and not suspended by the bank. */
async function clientStands(db: Knex, clientId: string): Promise<boolean> {
  const row = await db('oidc_clients').first('client_id').where({ client_id: clientId }).whereNull('suspended_at');
  return row !== undefined;
}

export interface ClientStanding {
  isActive(clientId: string): Promise<boolean>;
  close(): void;
}

/**
 * Whether a partner's client may still use the tokens it holds, for the resource servers, which
 * read tokens without the authorization server (a JWT is checked against our keys alone). Asked
 * once per client per `ttlMs`, then answered from memory; a suspension, reactivation or removal
 * (`client.status_changed`, `client.deleted`, from any instance within a second through
 * LISTEN/NOTIFY) drops the answer at once, so the TTL only bounds how long a lost notification
 * could matter.
 */
export function clientStanding(db: Knex, events: EventBus, clock: Clock, options: { ttlMs: number }): ClientStanding {
  const cache = new ExpiringCache<string, boolean>({ maxEntries: 100_000, now: () => clock.now().getTime() });
  const forget = ({ payload }: { payload: { clientId: string } }) => cache.delete(payload.clientId);
  const stops = [
    events.on('client.status_changed', forget),
    events.on('client.deleted', forget),
    events.on('client.registered', forget),
    events.on('events.resynced', () => cache.clear()),
  ];
  return {
    async isActive(clientId) {
      const known = cache.get(clientId);
      if (known !== undefined) return known;
      const active = await clientStands(db, clientId);
      cache.set(clientId, active, options.ttlMs);
      return active;
    },
    close() {
      for (const stop of stops) stop();
    },
  };
}
