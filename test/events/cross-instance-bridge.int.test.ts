import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { openStore } from '../../src/db/knex.ts';
import { createEventBus, type EventBus } from '../../src/events/event-bus.ts';
import { announceEventsToOtherInstances, bridgeEventsAcrossInstances, type EventBridge } from '../../src/events/cross-instance-bridge.ts';
import type { DomainEvent, EventName } from '../../src/events/event-catalogue.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { eventually } from '../helpers/eventually.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';

/*
 * Two instances on one PostgreSQL database: what one emits, the other hears within a second, once,
 * with its dates intact; the emitter does not hear itself twice; a listener whose connection was
 * cut reconnects, says so (`events.resynced`), and hears what follows. A process that only
 * announces (the CLI) is heard even when it closes its store right after emitting.
 */

const logger = createLogger('silent', false);
const skip = storeKind !== 'postgresql' && 'LISTEN/NOTIFY crosses processes on PostgreSQL only; PGlite runs in one';

interface Instance {
  db: Knex;
  bus: EventBus;
  bridge: EventBridge;
  heard: DomainEvent[];
}

/**
 * One instance, its connections named `name` (application_name) on PostgreSQL, so that a test can
 * cut this instance's listener and no other: the suite's other files share the database.
 */
async function instance(name: string, reconnectMs = 100): Promise<Instance> {
  const db = storeKind === 'postgresql' ? openStore({ databaseUrl: withApplicationName(process.env.DATABASE_URL!, name) }) : await openTestStore();
  const bus = createEventBus({ clock: systemClock, onListenerError: (error) => { throw error; } });
  const heard: DomainEvent[] = [];
  for (const name of ['api_key.revoked', 'api_key.issued', 'events.resynced'] as EventName[]) bus.on(name, (event) => { heard.push(event); });
  const bridge = await bridgeEventsAcrossInstances(db, bus, logger, { reconnectMs });
  return { db, bus, bridge, heard };
}

function withApplicationName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', name);
  return url.href;
}

let a: Instance;
let b: Instance;
before(async () => {
  if (skip) return;
  [a, b] = [await instance(`bridge-test-a-${process.pid}`), await instance(`bridge-test-b-${process.pid}`)];
});
after(async () => {
  for (const one of [a, b]) {
    await one?.bridge.close();
    await one?.db.destroy();
  }
});

test('an event emitted on one instance reaches the other within a second, once, with its dates', { skip }, async () => {
  const expiresAt = new Date('2026-12-04T12:00:00.000Z');
  a.bus.emit('api_key.issued', { keyId: 'key-2', applicationId: 'app-1', prefix: 'abcdefgh', replaces: { keyId: 'key-1', expiresAt } });
  const tookMs = await eventually(() => b.heard.length === 1, { withinMs: 1000, everyMs: 5 });
  assert.ok(tookMs < 1000);
  const [event] = b.heard as DomainEvent<'api_key.issued'>[];
  assert.equal(event!.name, 'api_key.issued');
  assert.deepEqual(event!.payload.replaces, { keyId: 'key-1', expiresAt });
  assert.equal(event!.remote, true, 'marked as another instance\'s');
  assert.equal(a.heard[0]!.remote, false);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(a.heard.length, 1, 'the emitter heard it once, from its own bus');
  assert.equal(b.heard.length, 1, 'and the other once');
});

test('a listener whose connection is cut reconnects, says it may have missed events, and hears the next ones', { skip }, async () => {
  b.heard.length = 0;
  const cut = await a.db.raw("select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN portcullis_events' and application_name = ?", [`bridge-test-b-${process.pid}`]);
  assert.equal(cut.rows.length, 1, 'b\'s listener, and only it, was cut');
  await eventually(() => b.heard.some((event) => event.name === 'events.resynced'), { withinMs: 3000, everyMs: 5 });
  a.bus.emit('api_key.revoked', { keyId: 'key-2', applicationId: 'app-1', prefix: 'abcdefgh' });
  await eventually(() => b.heard.some((event) => event.name === 'api_key.revoked'), { withinMs: 1000, everyMs: 5 });
});

test('an announcer that closes right after emitting has been heard: close waits for its notifications', { skip }, async () => {
  b.heard.length = 0;
  const db = await openTestStore();
  const bus = createEventBus({ clock: systemClock, onListenerError: (error) => { throw error; } });
  const announcer = announceEventsToOtherInstances(db, bus);
  for (const keyId of ['key-3', 'key-4', 'key-5']) bus.emit('api_key.revoked', { keyId, applicationId: 'app-1', prefix: 'abcdefgh' });
  await announcer.close();
  await db.destroy();
  await eventually(() => b.heard.length === 3, { withinMs: 1000, everyMs: 5 });
  assert.deepEqual(b.heard.map((event) => (event as DomainEvent<'api_key.revoked'>).payload.keyId), ['key-3', 'key-4', 'key-5']);
  bus.emit('api_key.revoked', { keyId: 'key-6', applicationId: 'app-1', prefix: 'abcdefgh' });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(b.heard.length, 3, 'nothing is announced once closed');
});

test('a bridge closed while it reconnects leaves no connection open, whenever the close comes', { skip }, async () => {
  for (const delayMs of [0, 1, 2, 3, 5, 8, 13, 21]) {
    const name = `bridge-test-c-${process.pid}-${delayMs}`;
    const c = await instance(name, 0);
    const connectionsNamed = async () => (await a.db.raw('select pid from pg_stat_activity where application_name = ?', [name])).rows.length;
    await a.db.raw("select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN portcullis_events' and application_name = ?", [name]);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await c.bridge.close();
    await c.db.destroy();
    await eventually(async () => (await connectionsNamed()) === 0, { withinMs: 1000, everyMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(await connectionsNamed(), 0, `closed ${delayMs} ms after its listener was cut: nothing reconnects afterwards`);
  }
});
