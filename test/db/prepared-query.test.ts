import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import knexFactory from 'knex';

import type { Knex } from '../../src/db/knex.ts';
import { preparedQuery } from '../../src/db/prepared-query.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';

const expiresIn = preparedQuery<{ id: string; seconds: number }>(
  'select id, extract(epoch from expires_at - now())::float8 as seconds from oidc_replay where id = $1',
);

describe(`preparedQuery (${storeKind})`, () => {
  let db: Knex;
  before(async () => {
    db = await openTestStore();
  });
  after(() => db.destroy());

  it('runs the statement with its values and resolves to the rows', async () => {
    const id = randomUUID();
    await db('oidc_replay').insert({ id, expires_at: db.raw("now() + interval '60 seconds'") });

    const rows = await expiresIn(db, [id]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.id, id);
    assert.ok(rows[0]!.seconds > 55 && rows[0]!.seconds <= 60);
    assert.deepEqual(await expiresIn(db, [randomUUID()]), []);
  });

  it("announces each statement through knex's query events, failures included", async () => {
    const seen: string[] = [];
    const onQuery = (query: { sql: string; bindings: unknown[] }) => seen.push(`query ${query.sql} ${JSON.stringify(query.bindings)}`);
    const onResponse = (rows: unknown[]) => seen.push(`response ${rows.length}`);
    const onError = (error: Error) => seen.push(`error ${error.message}`);
    db.on('query', onQuery).on('query-response', onResponse).on('query-error', onError);
    const failing = preparedQuery('select no_such_column from oidc_replay');
    try {
      await expiresIn(db, ['x']);
      await assert.rejects(failing(db, []), /no_such_column/);
    } finally {
      db.removeListener('query', onQuery).removeListener('query-response', onResponse).removeListener('query-error', onError);
    }

    assert.equal(seen.length, 4);
    assert.match(seen[0]!, /^query select id, .* where id = \$1 \["x"\]$/);
    assert.equal(seen[1], 'response 0');
    assert.equal(seen[2], 'query select no_such_column from oidc_replay []');
    assert.match(seen[3]!, /^error .*no_such_column/);
  });

  it('never runs inside a transaction that holds a connection', async () => {
    const id = randomUUID();
    const trx = await db.transaction();
    await trx('oidc_replay').insert({ id, expires_at: db.raw("now() + interval '60 seconds'") });
    // PGlite's only connection is the transaction's: the statement waits for it to end.
    const read = expiresIn(db, [id]);
    await trx.rollback();

    assert.deepEqual(await read, []);
  });

  it('gives the connection back to the pool, after a failure too', async (t) => {
    if (storeKind !== 'postgresql') return t.skip('PGlite has one connection, which every other test here already reuses');
    const single = knexFactory({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 2000 });
    try {
      await assert.rejects(preparedQuery('select 1/0')(single, []), /division by zero/);
      assert.deepEqual(await preparedQuery<{ one: number }>('select 1 as one')(single, []), [{ one: 1 }]);
    } finally {
      await single.destroy();
    }
  });

  it('prepares the statement once per PostgreSQL connection, under a name of its own', async (t) => {
    if (storeKind !== 'postgresql') return t.skip('PGlite runs statements unnamed');
    const single = knexFactory({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
    const prepared = preparedQuery<{ name: string; statement: string }>('select name, statement from pg_prepared_statements order by name');
    try {
      await expiresIn(single, ['x']);
      await expiresIn(single, ['y']);
      const statements = await prepared(single, []);

      // `expiresIn`, prepared once for two runs, and the statement listing them.
      assert.equal(statements.length, 2);
      assert.ok(statements.every(({ name }) => name.startsWith('portcullis_')));
      assert.notEqual(statements[0]!.name, statements[1]!.name);
      assert.deepEqual(statements.map(({ statement }) => statement.startsWith('select id, extract')).sort(), [false, true]);
    } finally {
      await single.destroy();
    }
  });
});
