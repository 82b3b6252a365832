import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { openRelaxedCommitStore, openStore, type Knex } from '../../src/db/knex.ts';

const databaseUrl = process.env.DATABASE_URL;

async function setting(db: Knex, name: string): Promise<string> {
  const result = await db.raw(`select current_setting('${name}') as value`);
  return result.rows[0].value;
}

describe('openRelaxedCommitStore', () => {
  it('is the store itself on PGlite, which has a single connection', async () => {
    const db = openStore({ pgliteDir: 'memory://' });
    after(() => db.destroy());
    assert.equal(openRelaxedCommitStore({ pgliteDir: 'memory://' }, db), db);
  });

  it('opens a pool whose commits do not wait for the disk, keeping the options the URL carries', { skip: databaseUrl ? false : 'needs PostgreSQL (DATABASE_URL)' }, async () => {
    const url = new URL(databaseUrl!);
    url.searchParams.set('options', '-c search_path=public -c application_name=relaxed-test');
    const db = openStore({ databaseUrl: url.href });
    const relaxed = openRelaxedCommitStore({ databaseUrl: url.href }, db);
    after(async () => {
      await relaxed.destroy();
      await db.destroy();
    });

    assert.notEqual(relaxed, db);
    assert.equal(await setting(relaxed, 'synchronous_commit'), 'off');
    assert.equal(await setting(relaxed, 'application_name'), 'relaxed-test');
    assert.equal(await setting(db, 'synchronous_commit'), 'on');
  });
});
