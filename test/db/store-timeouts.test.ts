/**
 * The PostgreSQL pools' limits (`defaults.store`): a database that refuses, stays silent, or goes
 * silent in the middle of a statement fails the caller within seconds with an error the outage
 * classifier recognises, and the pool carries on once the database is back.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { defaults } from '../../src/config/defaults.ts';
import { openRelaxedCommitStore, openStore, type Knex } from '../../src/db/knex.ts';
import { isStoreUnavailable } from '../../src/db/store-unavailable.ts';
import { startDatabaseProxy } from '../helpers/database-proxy.ts';
import { storeKind } from '../helpers/store.ts';
import { refusedDatabaseUrl, silentDatabase } from '../helpers/unreachable-database.ts';

const databaseUrl = process.env.DATABASE_URL;
// What a busy two-core test machine may add to a timeout, ms.
const SLACK_MS = 1_000;
// Each test fails after this rather than wait for a store that never gives up.
const TEST_TIMEOUT = { timeout: 20_000 };

/** Runs `work`, which must fail; returns the error and how long the failure took, ms. */
async function failure(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await work().then(() => assert.fail('expected the store to fail'), (caught: unknown) => caught);
  return { error, ms: performance.now() - started };
}

/** A store reaching the test database through a proxy the test can cut, with one connection open already. */
async function storeThroughProxy() {
  const proxy = await startDatabaseProxy(databaseUrl!);
  const db = openStore({ databaseUrl: proxy.url });
  after(async () => {
    // The proxy first: its sockets closing end whatever the pool still waits on.
    await proxy.close();
    await db.destroy();
  });
  await db.raw('select 1');
  return { proxy, db };
}

describe(`store timeouts against an unreachable database (${storeKind})`, () => {
  it('a refused connection fails at once, not after the pool has waited', TEST_TIMEOUT, async () => {
    const db = openStore({ databaseUrl: await refusedDatabaseUrl() });
    after(() => db.destroy());
    const { error, ms } = await failure(() => db.raw('select 1'));
    assert.equal(isStoreUnavailable(error), true, String(error));
    assert.ok(ms < SLACK_MS, `${Math.round(ms)} ms`);
  });

  it('a database that accepts connections and never answers fails within the connect timeout', TEST_TIMEOUT, async () => {
    const silent = await silentDatabase();
    const db = openStore({ databaseUrl: silent.url });
    after(async () => {
      await db.destroy();
      await silent.close();
    });
    const { error, ms } = await failure(() => db.raw('select 1'));
    assert.equal(isStoreUnavailable(error), true, String(error));
    assert.ok(ms >= defaults.store.connectTimeout * 1000 - 50, `${Math.round(ms)} ms: it did wait for the connection`);
    assert.ok(ms < defaults.store.connectTimeout * 1000 + SLACK_MS, `${Math.round(ms)} ms`);
  });
});

describe('store timeouts on PostgreSQL', { skip: databaseUrl ? false : 'needs PostgreSQL (DATABASE_URL): PGlite runs in this process, with no connection to lose' }, () => {
  async function statementTimeoutOf(db: Knex): Promise<string> {
    return (await db.raw('show statement_timeout')).rows[0].statement_timeout;
  }

  it('every connection of both pools carries the statement timeout', TEST_TIMEOUT, async () => {
    const db = openStore({ databaseUrl: databaseUrl! });
    const relaxed = openRelaxedCommitStore({ databaseUrl: databaseUrl! }, db);
    after(async () => {
      await relaxed.destroy();
      await db.destroy();
    });
    assert.equal(await statementTimeoutOf(db), `${defaults.store.statementTimeout}s`);
    assert.equal(await statementTimeoutOf(relaxed), `${defaults.store.statementTimeout}s`);
  });

  it('a connection that goes silent under a statement fails it within the query timeout and is dropped, so the pool serves again from a database that came back elsewhere', TEST_TIMEOUT, async () => {
    const { proxy, db } = await storeThroughProxy();
    await proxy.cut('black-hole');
    const { error, ms } = await failure(() => db.raw('select 1'));
    assert.equal((error as Error).message, 'select 1 - Query read timeout');
    assert.equal(isStoreUnavailable(error), true);
    assert.ok(ms >= defaults.store.queryTimeout * 1000 - 50 && ms < defaults.store.queryTimeout * 1000 + SLACK_MS, `${Math.round(ms)} ms`);
    // A failover: the old server never speaks again, not even to close the connection.
    await proxy.restore({ failover: true });
    const started = performance.now();
    assert.deepEqual((await db.raw('select 2 as two')).rows, [{ two: 2 }]);
    assert.ok(performance.now() - started < SLACK_MS, 'a new connection served it, not the silent one');
  });

  it('a transaction whose statement goes silent fails within one query timeout: its ROLLBACK does not wait behind the statement', TEST_TIMEOUT, async () => {
    const { proxy, db } = await storeThroughProxy();
    const { error, ms } = await failure(() => db.transaction(async (trx) => {
      await trx.raw('select 1');
      await proxy.cut('black-hole');
      await trx.raw('select 2');
    }));
    // knex reports the ROLLBACK's failure, the socket ended under it; an outage either way.
    assert.match((error as Error).message, /Query read timeout|Connection terminated unexpectedly/);
    assert.equal(isStoreUnavailable(error), true);
    assert.ok(ms >= defaults.store.queryTimeout * 1000 - 50 && ms < defaults.store.queryTimeout * 1000 + SLACK_MS, `${Math.round(ms)} ms, not two timeouts`);
    await proxy.restore({ failover: true });
    assert.deepEqual((await db.raw('select 3 as three')).rows, [{ three: 3 }], 'the pool serves again');
  });
});
