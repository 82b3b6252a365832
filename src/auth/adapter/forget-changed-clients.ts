import type { EventBus } from '../../events/event-bus.ts';
import type { ClientCache } from './client-cache.ts';

/*
 * The client cache's invalidation by event. A client registered, replaced, suspended or deleted anywhere but
 * through this process's adapter (another instance, the CLI, the ops services, which write the
 * table themselves) reaches this process as an event, over LISTEN/NOTIFY from elsewhere: its
 * metadata is dropped then, within a second of the change, rather than when the entry expires. A
 * registration drops it too, for an id whose earlier deletion was announced while this instance
 * was not listening. When the link to the other instances comes back after a break, anything may
 * have changed meanwhile, and every client is dropped.
 */

/**
 * Drops a client's cached metadata whenever `events` announces a change to it. Listens for as long
 * as the bus lives: the adapter factory that owns the cache, and every provider built with it,
 * live as long as the process's bus.
 */
export function forgetChangedClients(cache: ClientCache, events: EventBus): void {
  const forget = ({ payload }: { payload: { clientId: string } }) => cache.forget(payload.clientId);
  events.on('client.registered', forget);
  events.on('client.updated', forget);
  events.on('client.deleted', forget);
  events.on('client.status_changed', forget);
  events.on('events.resynced', () => cache.forgetAll());
}
