import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';
import type { Client, Notification } from 'pg';

import { isEmbeddedStore } from '../db/knex.ts';
import type { Logger } from '../observability/logger.ts';
import type { EventBus } from './event-bus.ts';
import { CROSS_INSTANCE_EVENTS, type DomainEvents, type EventName } from './event-catalogue.ts';

/*
 * Domain events reach every instance through PostgreSQL LISTEN/NOTIFY: what one instance emits
 * (a revoked key, a suspended application, a changed API) is announced on one channel, and every
 * other instance re-emits it on its own bus, where its caches listen. Notifications are delivered
 * within milliseconds to every connected listener; one that was disconnected missed what was
 * said meanwhile, so on reconnecting it emits `events.resynced` for caches to drop everything.
 * A process that only changes the store (the CLI) announces without listening.
 *
 * The embedded PGlite store runs in one process, whose bus already reaches every listener.
 */

export const EVENTS_CHANNEL = 'portcullis_events';

interface Envelope {
  /** The instance that emitted it: its own notifications come back to it too, and are skipped. */
  from: string;
  name: EventName;
  payload: unknown;
}

// Payload dates travel as ISO strings; the catalogue names every date field `…At`.
function reviveDates(_key: string, value: unknown): unknown {
  return typeof value === 'string' && /At$/.test(_key) && /^\d{4}-\d\d-\d\dT/.test(value) ? new Date(value) : value;
}

interface KnexClientInternals {
  acquireRawConnection(): Promise<Client>;
  destroyRawConnection(connection: Client): Promise<void>;
}

export interface EventBridge {
  /** Stops, once the notifications under way have been sent. */
  close(): Promise<void>;
}

/**
 * Announces what `bus` emits to every instance listening on `db` (PostgreSQL), without listening
 * itself: what a process that changes the store but serves nothing (the CLI) needs for running
 * instances to learn of its changes. `close()` waits for the notifications under way, so that a
 * process may exit right after; on PGlite it does nothing.
 *
 * @example
 * const announcer = announceEventsToOtherInstances(db, events);
 * try { await applyGatewayChanges({ db, events, clock, actor: 'ops' }, desired, options); } finally { await announcer.close(); }
 */
export function announceEventsToOtherInstances(db: Knex, bus: EventBus): EventBridge {
  if (isEmbeddedStore(db)) return { close: async () => {} };
  return announce(db, bus, randomUUID());
}

function announce(db: Knex, bus: EventBus, instance: string): EventBridge {
  const sending = new Set<Promise<void>>();
  // Notifications go out one after another: sent at once, each on whichever pooled connection was
  // free, they could commit, and so reach the other instances, in another order than emitted.
  let previous: Promise<unknown> = Promise.resolve();
  const stops = CROSS_INSTANCE_EVENTS.map((name) => bus.on(name, ({ payload, remote }) => {
    if (remote) return;
    const envelope: Envelope = { from: instance, name, payload };
    // Not awaited by the emitter; a failure is the listener error the bus reports, and does not hold up the next.
    const sent = previous.then(() => db.raw('select pg_notify(?, ?)', [EVENTS_CHANNEL, JSON.stringify(envelope)])).then(() => undefined);
    previous = sent.catch(() => undefined);
    const settle = () => void sending.delete(sent);
    sent.then(settle, settle);
    sending.add(sent);
    return sent;
  }));
  return {
    async close() {
      for (const stop of stops) stop();
      await Promise.allSettled(sending);
    },
  };
}

/** Bridges `bus` across instances on `db` (PostgreSQL); on PGlite it does nothing. */
export async function bridgeEventsAcrossInstances(db: Knex, bus: EventBus, logger: Logger, options: { reconnectMs?: number } = {}): Promise<EventBridge> {
  if (isEmbeddedStore(db)) return { close: async () => {} };
  const client = db.client as unknown as KnexClientInternals;
  const instance = randomUUID();
  const reconnectMs = options.reconnectMs ?? 1000;
  let closed = false;
  let listener: Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const receive = (message: Notification) => {
    if (message.channel !== EVENTS_CHANNEL || !message.payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message.payload, reviveDates) as Envelope;
    } catch (error) {
      logger.error({ err: error }, 'events.bridge_unreadable');
      return;
    }
    if (envelope.from === instance || !CROSS_INSTANCE_EVENTS.includes(envelope.name)) return;
    bus.emit(envelope.name, envelope.payload as DomainEvents[typeof envelope.name], { remote: true });
  };

  // A connection that is still being opened when the bridge closes is closed as soon as it opens;
  // left open, it would keep the process alive.
  let connecting: Promise<void> | undefined;
  const connect = async (isReconnect: boolean): Promise<void> => {
    let connection: Client | undefined;
    try {
      connection = await client.acquireRawConnection();
      if (closed) {
        await client.destroyRawConnection(connection).catch(() => undefined);
        return;
      }
      const opened = connection;
      opened.on('notification', receive);
      opened.on('error', (error) => logger.warn({ err: error }, 'events.bridge_connection_error'));
      opened.on('end', () => {
        if (listener === opened) listener = undefined;
        if (!closed) schedule();
      });
      listener = opened;
      await opened.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (isReconnect) {
        logger.info('events.bridge_reconnected');
        bus.emit('events.resynced', {});
      }
    } catch (error) {
      logger.warn({ err: error }, 'events.bridge_connect_failed');
      if (connection) {
        if (listener === connection) listener = undefined;
        await client.destroyRawConnection(connection).catch(() => undefined);
      }
      schedule();
    }
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connecting = connect(true);
    }, reconnectMs);
    retry.unref();
  };

  const publisher = announce(db, bus, instance);
  await connect(false);
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await connecting;
      await publisher.close();
      if (listener) {
        const connection = listener;
        listener = undefined;
        await client.destroyRawConnection(connection).catch(() => undefined);
      }
    },
  };
}
