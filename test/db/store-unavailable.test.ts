import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { errors } from 'oidc-provider';

import { ObError } from '../../src/openbanking/ob-error.ts';
import { isStoreUnavailable } from '../../src/db/store-unavailable.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';
import { refusedStoreError } from '../helpers/unreachable-database.ts';

const databaseUrl = process.env.DATABASE_URL;

/** An error as pg builds one from a server's ErrorResponse: a message and a SQLSTATE `code`. */
function databaseError(code: string, message = 'from the server'): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.7:5432`), { code, syscall: 'connect' });
}

describe(`isStoreUnavailable (${storeKind})`, () => {
  it('is true for what a real store throws when the database refuses connections', async () => {
    const error = await refusedStoreError();
    assert.equal((error as { code?: string }).code, 'ECONNREFUSED');
    assert.equal(isStoreUnavailable(error), true);
  });

  it('is true for socket failures on the way to the server', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']) {
      assert.equal(isStoreUnavailable(systemError(code)), true, code);
    }
    const bothFamilies = Object.assign(new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')], ''), { code: undefined });
    assert.equal(isStoreUnavailable(bothFamilies), true, 'a refusal on IPv4 and IPv6 together');
  });

  it('is true for the SQLSTATEs of a server that cannot serve now, and for nothing else from the server', () => {
    for (const code of ['08000', '08003', '08006', '08001', '08004', '08P01', '57P01', '57P02', '57P03', '53300', '57014']) {
      assert.equal(isStoreUnavailable(databaseError(code)), true, code);
    }
    // Unique and foreign-key violations, a missing table, a syntax error, a serialization failure,
    // out of disk: bugs and conflicts, not an outage a retry in 30 s would cure.
    for (const code of ['23505', '23503', '42P01', '42601', '40001', '53100', '0800', '080001', 'E08001']) {
      assert.equal(isStoreUnavailable(databaseError(code)), false, code);
    }
  });

  it('is true for the bare errors pg throws when a connection dies or goes silent, and for a pool that gave up', () => {
    for (const message of ['Connection terminated', 'Connection terminated unexpectedly', 'Connection terminated due to connection timeout', 'timeout expired', 'Query read timeout', 'Client has encountered a connection error and is not queryable']) {
      assert.equal(isStoreUnavailable(new Error(message)), true, message);
    }
    const poolTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' });
    assert.equal(isStoreUnavailable(poolTimeout), true);
    assert.equal(isStoreUnavailable(new Error('select "metadata" from "oidc_clients" - Connection terminated unexpectedly')), true, 'as knex words it, after the statement');
    assert.equal(isStoreUnavailable(new Error('Connection terminated by a user in the middle of a sentence')), false, 'messages match whole');
    assert.equal(isStoreUnavailable(new Error('x - timeout expired soon')), false, 'after the statement too');
  });

  it('follows causes: an outage wrapped by us or a service is still an outage', () => {
    const refused = systemError('ECONNREFUSED');
    assert.equal(isStoreUnavailable(new ObError(500, [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'x' }], { cause: refused })), true);
    assert.equal(isStoreUnavailable(new Error('saving the consent failed', { cause: new Error('query failed', { cause: refused }) })), true);
  });

  it("never turns a client's mistake into an outage, whatever caused it", () => {
    const refused = systemError('ECONNREFUSED');
    assert.equal(isStoreUnavailable(new ObError(400, [{ ErrorCode: 'UK.OBIE.Field.Invalid', Message: 'x' }], { cause: refused })), false);
    assert.equal(isStoreUnavailable(new errors.InvalidRequest('bad', undefined, { cause: refused })), false);
    assert.equal(isStoreUnavailable(Object.assign(new Error('Connection terminated'), { status: 404 })), false);
  });

  it("never turns an upstream's failure into an outage: a 502 or 504 over a refused or reset socket is the upstream's", () => {
    for (const status of [502, 504]) {
      for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']) {
        const upstream = Object.assign(new Error('upstream unreachable', { cause: new Error('attempt failed', { cause: systemError(code) }) }), { status });
        assert.equal(isStoreUnavailable(new ObError(status, [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'x' }], { cause: upstream })), false, `${status} ${code}`);
      }
    }
    assert.equal(isStoreUnavailable(Object.assign(new Error('unavailable', { cause: systemError('ECONNREFUSED') }), { statusCode: 503 })), true, 'a 503 over a refused socket may be the store');
  });

  it('is false for bugs, other failures and things that are not errors', () => {
    assert.equal(isStoreUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')")), false);
    assert.equal(isStoreUnavailable(new Error('relation "consents" does not exist')), false);
    assert.equal(isStoreUnavailable(new ObError(503, [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'x' }])), false, 'a 503 by itself says nothing about the store');
    for (const value of [undefined, null, 'ECONNREFUSED', 42, { code: 42 }]) assert.equal(isStoreUnavailable(value), false, String(value));
    const cycle: Error & { cause?: unknown } = new Error('one');
    cycle.cause = new Error('two', { cause: cycle });
    assert.equal(isStoreUnavailable(cycle), false, 'a cycle of causes ends');
  });
});

describe('isStoreUnavailable against a real PostgreSQL server', { skip: databaseUrl ? false : 'needs PostgreSQL (DATABASE_URL): PGlite has no server to end a connection or cancel a statement' }, () => {
  it('is true when the server ends the connection (57P01, as in a shutdown), and the pool goes on with a new one', async () => {
    const db = await openTestStore();
    try {
      const error = await db.raw('select pg_terminate_backend(pg_backend_pid())').then(() => undefined, (caught: unknown) => caught);
      assert.equal((error as { code?: string }).code, '57P01');
      assert.equal(isStoreUnavailable(error), true);
      assert.deepEqual((await db.raw('select 1 as one')).rows, [{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });

  it('is true when the server cancels a statement that ran too long (57014)', async () => {
    const db = await openTestStore();
    try {
      const error = await db.transaction(async (trx) => {
        await trx.raw('set local statement_timeout = 50');
        await trx.raw('select pg_sleep(1)');
      }).then(() => undefined, (caught: unknown) => caught);
      assert.equal((error as { code?: string }).code, '57014');
      assert.equal(isStoreUnavailable(error), true);
    } finally {
      await db.destroy();
    }
  });
});
