import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';

import { changeStatus, findConsent, insertConsent, listStatusHistory } from '../../src/consent/consent.store.ts';
import { openStore, type Knex } from '../../src/db/knex.ts';
import { sharedMigratedWorkspace } from './run-cli.ts';

const workspace = sharedMigratedWorkspace();

/** The CLI's own store, opened only while the CLI is not running (PGlite allows one process). */
async function withCliStore<T>(work: (db: Knex) => Promise<T>): Promise<T> {
  const db = workspace().env['DATABASE_URL'] ? openStore({ databaseUrl: workspace().env['DATABASE_URL'] }) : openStore({ pgliteDir: join(workspace().env['DATA_DIR']!, 'pglite') });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** An authorised account access consent bound to a grant that has one access token. */
async function authorisedConsent(): Promise<{ consentId: string; grantId: string; tokenId: string }> {
  const consentId = `aac-${randomUUID()}`;
  const grantId = `grant-${randomUUID()}`;
  const tokenId = `token-${randomUUID()}`;
  await withCliStore(async (db) => {
    await db.transaction(async (trx) => {
      await insertConsent(trx, { id: consentId, kind: 'account-access', client_id: 'tpp-ops-test', expires_at: null, request: { Data: { Permissions: ['ReadBalances'] }, Risk: {} } }, 'partner');
      await changeStatus(trx, consentId, { status: 'Authorised', actor: 'customer' }, { customer_id: 'cust-0001', grant_id: grantId, account_ids: ['acc-0001-current'] });
    });
    await db('oidc_tokens').insert({ id: tokenId, kind: 'AccessToken', grant_id: grantId, payload: JSON.stringify({ jti: tokenId, grantId }), expires_at: db.raw("now() + interval '5 minutes'") });
  });
  return { consentId, grantId, tokenId };
}

test('consents revoke ends an authorised consent for ops and revokes the tokens of its grant; show prints the history', async () => {
  const { consentId, tokenId } = await authorisedConsent();
  const revoked = await workspace().run(['consents', 'revoke', consentId]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stdout, new RegExp(`Consent ${consentId} is now Revoked`));
  await withCliStore(async (db) => {
    assert.equal((await findConsent(db, consentId))!.status, 'Revoked');
    assert.deepEqual((await listStatusHistory(db, consentId)).map((change) => change.actor), ['partner', 'customer', 'ops']);
    assert.equal(await db('oidc_tokens').first('id').where({ id: tokenId }), undefined);
    // An ops change from the command line is in the audit chain like one through the admin API.
    const audited: Array<{ action: string; actor: string }> = await db('audit_log').select('action', 'actor').where({ consent_id: consentId }).orderBy('seq');
    assert.deepEqual(audited, [{ action: 'consent.status_changed', actor: 'ops' }]);
  });

  const shown = await workspace().run(['consents', 'show', consentId]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /status\s+Revoked/);
  assert.match(shown.stdout, /Revoked\s+ops\s+revoked by bank operations/);

  const again = await workspace().run(['consents', 'revoke', consentId]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /is Revoked; it cannot become Revoked/);
});

test('an unknown consent is an error, exit 1', async () => {
  for (const command of ['show', 'revoke']) {
    const result = await workspace().run(['consents', command, 'aac-nothing']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /aac-nothing/);
  }
});
