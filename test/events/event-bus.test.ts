import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createEventBus } from '../../src/events/event-bus.ts';
import type { DomainEvent } from '../../src/events/event-catalogue.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';

const revoked = { consentId: 'aac-1', kind: 'account-access', clientId: 'tpp', from: 'Authorised', to: 'Revoked', actor: 'customer' } as const;

function bus() {
  const failures: Array<{ error: unknown; event: DomainEvent }> = [];
  const clock = fixedClock('2026-12-04T10:00:00Z');
  return { failures, clock, events: createEventBus({ clock, onListenerError: (error, event) => failures.push({ error, event }) }) };
}

test('listeners of a name get its events, stamped by the bus clock; others do not', () => {
  const { events, clock } = bus();
  const seen: DomainEvent[] = [];
  events.on('consent.status_changed', (event) => void seen.push(event));
  events.on('client.deleted', () => assert.fail('not this one'));
  clock.advance(30);
  events.emit('consent.status_changed', revoked);
  assert.deepEqual(seen, [{ name: 'consent.status_changed', payload: revoked, at: new Date('2026-12-04T10:00:30Z'), remote: false }]);
});

test('a listener that throws, or rejects, is reported and keeps the event from no one', async () => {
  const { events, failures } = bus();
  const reached: string[] = [];
  events.on('consent.status_changed', () => {
    throw new Error('sync failure');
  });
  events.on('consent.status_changed', async () => {
    throw new Error('async failure');
  });
  events.on('consent.status_changed', () => void reached.push('third'));
  assert.doesNotThrow(() => events.emit('consent.status_changed', revoked));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(reached, ['third']);
  assert.deepEqual(failures.map(({ error }) => (error as Error).message).sort(), ['async failure', 'sync failure']);
  assert.ok(failures.every(({ event }) => event.name === 'consent.status_changed'));
});

test('a listener stops hearing events once it unsubscribes', () => {
  const { events } = bus();
  let heard = 0;
  const stop = events.on('grant.revoked', () => void heard++);
  events.emit('grant.revoked', { grantId: 'g1', reason: 'consent_ended' });
  stop();
  events.emit('grant.revoked', { grantId: 'g2', reason: 'consent_ended' });
  assert.equal(heard, 1);
});
