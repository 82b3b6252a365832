import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { Knex } from 'knex';

import { revokeGrantTokens } from '../../src/auth/adapter/revoke-grant-tokens.ts';
import type { ConsentContext } from '../../src/consent/consent-context.ts';
import { endConsent } from '../../src/consent/consent.service.ts';
import { findConsent, listStatusHistory } from '../../src/consent/consent.store.ts';
import { createEventBus } from '../../src/events/event-bus.ts';
import type { DomainEvent } from '../../src/events/event-catalogue.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { openTestStore, storeKind } from '../helpers/store.ts';
import { authorisedConsent } from './authorised-consent.ts';

/*
 * Issue 10, defect 11: a consent reads `Revoked` only if its grant and every token under it were
 * revoked too. Both happen in one transaction; when the revocation fails, nothing changes and a
 * retry (the partner's DELETE again, the customer's click again) reaches the tokens.
 */

let db: Knex;
let context: ConsentContext;
const announced: DomainEvent[] = [];
before(async () => {
  db = await openTestStore();
  const events = createEventBus({ clock: systemClock, onListenerError: (error) => assert.fail(error as Error) });
  for (const name of ['consent.status_changed', 'grant.revoked'] as const) events.on(name, (event) => void announced.push(event));
  context = { db, events, clock: systemClock };
});
after(() => db?.destroy());

/** An authorised consent whose grant has a refresh token that lives for months. */
async function consentWithRefreshToken() {
  const grantId = `grant-${randomUUID()}`;
  const tokenId = `rt-${randomUUID()}`;
  const consent = await authorisedConsent(db, 'cust-0001', { clientId: 'tpp-end-consent', grantId });
  await db('oidc_grants').insert({ id: grantId, payload: JSON.stringify({ jti: grantId }), expires_at: db.raw("now() + interval '90 days'") });
  await db('oidc_tokens').insert({ id: tokenId, kind: 'RefreshToken', grant_id: grantId, payload: JSON.stringify({ jti: tokenId, grantId }), expires_at: db.raw("now() + interval '90 days'") });
  return { consentId: consent.id, grantId, tokenId };
}

async function assertUnchanged(consentId: string, tokenId: string, grantId: string): Promise<void> {
  assert.equal((await findConsent(db, consentId))!.status, 'Authorised');
  assert.deepEqual((await listStatusHistory(db, consentId)).map((change) => change.status), ['AwaitingAuthorisation', 'Authorised']);
  assert.ok(await db('oidc_tokens').first('id').where({ id: tokenId }), 'the refresh token is still there to be revoked');
  assert.ok(await db('oidc_grants').first('id').where({ id: grantId }));
}

test(`a revocation that throws leaves the consent Authorised and its tokens for a retry (${storeKind})`, async () => {
  const { consentId, grantId, tokenId } = await consentWithRefreshToken();
  const failing = async () => {
    throw new Error('token store unavailable');
  };
  await assert.rejects(endConsent(context, consentId, 'partner', failing, 'withdrawn by the partner'), /token store unavailable/);
  await assertUnchanged(consentId, tokenId, grantId);
  assert.deepEqual(announced.filter((event) => JSON.stringify(event.payload).includes(consentId)), [], 'nothing announced for a change that did not happen');

  const ended = await endConsent(context, consentId, 'partner', revokeGrantTokens, 'withdrawn by the partner');
  assert.equal(ended.status, 'Revoked');
  assert.deepEqual(announced.slice(-2).map((event) => [event.name, event.payload]), [
    ['consent.status_changed', { consentId, kind: 'account-access', clientId: 'tpp-end-consent', from: 'Authorised', to: 'Revoked', actor: 'partner', reason: 'withdrawn by the partner', customerId: 'cust-0001', grantId }],
    ['grant.revoked', { grantId, reason: 'consent_ended' }],
  ]);
  assert.equal(await db('oidc_tokens').first('id').where({ id: tokenId }), undefined);
  assert.equal(await db('oidc_grants').first('id').where({ id: grantId }), undefined);
});

test(`a revocation whose statement fails in the database rolls the status change back (${storeKind})`, async () => {
  const { consentId, grantId, tokenId } = await consentWithRefreshToken();
  const failingStatement = async (trx: Knex) => {
    await trx.raw('select 1 / 0');
  };
  await assert.rejects(endConsent(context, consentId, 'customer', failingStatement, 'revoked by the customer'), /division by zero/);
  await assertUnchanged(consentId, tokenId, grantId);
});

test(`the revocation runs inside the status change's transaction (${storeKind})`, async () => {
  const { consentId } = await consentWithRefreshToken();
  let statusSeenByRevocation: string | undefined;
  await endConsent(context, consentId, 'ops', async (trx, grantId) => {
    statusSeenByRevocation = (await findConsent(trx, consentId))?.status;
    await revokeGrantTokens(trx, grantId);
  }, 'revoked by bank operations');
  assert.equal(statusSeenByRevocation, 'Revoked', 'the revocation sees the uncommitted change: same transaction');
});
