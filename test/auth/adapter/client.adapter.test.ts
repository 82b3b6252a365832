import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createStoreAdapter } from '../../../src/auth/adapter/store-adapter.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { createEventBus, type EventBus } from '../../../src/events/event-bus.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { openTestStore, storeKind } from '../../helpers/store.ts';
import { statementsDuring } from '../../helpers/count-statements.ts';

describe(`Client adapter (${storeKind})`, () => {
  let db: Knex;
  let clients: ReturnType<ReturnType<typeof createStoreAdapter>>;
  before(async () => {
    db = await openTestStore();
    clients = createStoreAdapter(db)('Client');
  });
  after(() => db.destroy());


  it('stores metadata under the client_id and copies software_id', async () => {
    const clientId = randomUUID();
    const metadata = { client_id: clientId, software_id: 'software-1', redirect_uris: ['https://tpp.example/cb'], token_endpoint_auth_method: 'private_key_jwt' as const };
    await clients.upsert(clientId, metadata);

    assert.deepEqual(await clients.find(clientId), metadata);
    assert.equal((await db('oidc_clients').first('software_id').where({ client_id: clientId }))?.software_id, 'software-1');
  });

  it('replaces metadata on update and keeps the creation time', async () => {
    const clientId = randomUUID();
    await clients.upsert(clientId, { client_id: clientId, software_id: 'software-1' });
    const created = await db('oidc_clients').first('created_at', 'updated_at').where({ client_id: clientId });

    await clients.upsert(clientId, { client_id: clientId, client_name: 'Renamed TPP' });

    assert.deepEqual(await clients.find(clientId), { client_id: clientId, client_name: 'Renamed TPP' });
    const updated = await db('oidc_clients').first('created_at', 'updated_at', 'software_id').where({ client_id: clientId });
    assert.deepEqual(updated.created_at, created.created_at);
    assert.ok(updated.updated_at >= created.updated_at);
    assert.equal(updated.software_id, null);
  });

  it('forgets a deleted client and does not find unknown ones', async () => {
    const clientId = randomUUID();
    await clients.upsert(clientId, { client_id: clientId });
    await clients.destroy(clientId);

    assert.equal(await clients.find(clientId), undefined);
    assert.equal(await clients.find(randomUUID()), undefined);
  });

  it('without a cache TTL, reads the store on every lookup', async () => {
    const clientId = randomUUID();
    await clients.upsert(clientId, { client_id: clientId });

    assert.equal(await statementsDuring(db, () => clients.find(clientId)), 1);
    assert.equal(await statementsDuring(db, () => clients.find(clientId)), 1);
  });

  describe('with a cache TTL', () => {
    let adapterFor: ReturnType<typeof createStoreAdapter>;
    let cached: ReturnType<ReturnType<typeof createStoreAdapter>>;
    before(() => {
      adapterFor = createStoreAdapter(db, { clientCacheTtl: 10 });
      cached = adapterFor('Client');
    });

    it('reads a client from the store once, then from memory', async () => {
      const clientId = randomUUID();
      await cached.upsert(clientId, { client_id: clientId });

      assert.equal(await statementsDuring(db, () => cached.find(clientId)), 1);
      assert.equal(await statementsDuring(db, async () => assert.deepEqual(await cached.find(clientId), { client_id: clientId })), 0);
    });

    it('asks the store every time about an unknown client_id', async () => {
      const clientId = randomUUID();
      assert.equal(await statementsDuring(db, () => cached.find(clientId)), 1);
      assert.equal(await statementsDuring(db, async () => assert.equal(await cached.find(clientId), undefined)), 1);
    });

    it('sees an update or a deletion made through any adapter of the same factory at once', async () => {
      const clientId = randomUUID();
      await cached.upsert(clientId, { client_id: clientId, client_name: 'First' });
      await cached.find(clientId);

      await adapterFor('Client').upsert(clientId, { client_id: clientId, client_name: 'Second' });
      assert.equal((await cached.find(clientId))?.client_name, 'Second');
      await adapterFor('Client').destroy(clientId);
      assert.equal(await cached.find(clientId), undefined);
    });

    it('without the bus, sees a change made behind its back (another instance, the CLI) only when the entry expires', async () => {
      const clientId = randomUUID();
      await cached.upsert(clientId, { client_id: clientId, client_name: 'First' });
      await cached.find(clientId);

      await db('oidc_clients').where({ client_id: clientId }).delete();
      assert.equal((await cached.find(clientId))?.client_name, 'First');
      assert.equal(await clients.find(clientId), undefined);
    });
  });

  describe('with a cache TTL and the bus client changes are announced on', () => {
    let events: EventBus;
    let cached: ReturnType<ReturnType<typeof createStoreAdapter>>;
    before(() => {
      events = createEventBus({ clock: systemClock, onListenerError: (error) => assert.fail(error as Error) });
      cached = createStoreAdapter(db, { clientCacheTtl: 10, events })('Client');
    });

    /** A client the cache holds, as `client_name` 'First'. */
    async function cachedClient(): Promise<string> {
      const clientId = randomUUID();
      await cached.upsert(clientId, { client_id: clientId, client_name: 'First' });
      assert.equal((await cached.find(clientId))?.client_name, 'First');
      return clientId;
    }
    const renameBehindItsBack = (clientId: string, name: string) => db('oidc_clients').where({ client_id: clientId }).update({ metadata: JSON.stringify({ client_id: clientId, client_name: name }) });

    it('drops a client changed behind its back (another instance, the CLI) as soon as the change is announced', async () => {
      const clientId = await cachedClient();
      await renameBehindItsBack(clientId, 'Second');
      assert.equal((await cached.find(clientId))?.client_name, 'First', 'held until announced');
      events.emit('client.updated', { clientId, via: 'ops' }, { remote: true });
      assert.equal((await cached.find(clientId))?.client_name, 'Second');

      await renameBehindItsBack(clientId, 'Third');
      events.emit('client.registered', { clientId, via: 'ops' }, { remote: true });
      assert.equal((await cached.find(clientId))?.client_name, 'Third');

      await db('oidc_clients').where({ client_id: clientId }).delete();
      events.emit('client.deleted', { clientId, via: 'ops' }, { remote: true });
      assert.equal(await cached.find(clientId), undefined);
    });

    it('keeps the other clients it holds', async () => {
      const [changed, other] = [await cachedClient(), await cachedClient()];
      events.emit('client.deleted', { clientId: changed, via: 'registration' }, { remote: true });
      assert.equal(await statementsDuring(db, () => cached.find(other)), 0);
    });

    it('drops every client when the link to the other instances comes back (events.resynced)', async () => {
      const [first, second] = [await cachedClient(), await cachedClient()];
      await renameBehindItsBack(first, 'Renamed');
      await db('oidc_clients').where({ client_id: second }).delete();
      events.emit('events.resynced', {});
      assert.equal((await cached.find(first))?.client_name, 'Renamed');
      assert.equal(await cached.find(second), undefined);
    });
  });
});
