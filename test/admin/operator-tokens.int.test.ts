/**
 * Operators' personal tokens for the admin API: made on the console's account page (shown once,
 * stored hashed with a prefix, expiring), accepted as `Authorization: Bearer`, acting with their
 * operator's role now (a viewer's reads only: 403 on a change; a role taken away or an operator
 * disabled takes effect at once), audited as `operator:<id>`; revoked, expired and unknown tokens
 * are 401; the configured admin token keeps working, and has no personal tokens.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { hashSecretToken } from '../../src/shared/secret-token.ts';
import { insertOperator, signedInConsole, type TestOperator } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfIn, type PortalBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
let send: typeof fetch;

before(async () => {
  portcullis = await startTestPortcullis();
  send = tlsFetch(portcullis.caPem);
});
after(async () => {
  await portcullis?.close();
});

const TOKEN = /<code class="console-token-secret">(pco_[A-Za-z0-9_-]{43})<\/code>/;

function admin(path: string, token: string, body?: unknown): Promise<Response> {
  return send(`${portcullis.urls.admin}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** An operator with `role`, signed in, who has made a token on their account page: the browser and the token. */
async function withToken(role: TestOperator['role'], name = 'deploy pipeline'): Promise<{ operator: TestOperator; browser: PortalBrowser; token: string }> {
  const operator = await insertOperator(portcullis.db, portcullis.secrets, { role });
  const browser = await signedInConsole(portcullis.caPem, portcullis.urls.browser, operator);
  const page = await browser.get('/console/account');
  assert.equal(page.status, 200);
  const made = await browser.post('/console/account/tokens', { csrf: csrfIn(await page.text()), name, expiresInDays: '30' });
  assert.equal(made.status, 201);
  return { operator, browser, token: (await made.text()).match(TOKEN)![1]! };
}

const newOrganisation = () => ({ name: `Tokens ${randomUUID().slice(0, 8)} Ltd` });

test('a viewer\'s token reads the admin API and may change nothing (403); it is shown once and stored hashed; its making is audited', async () => {
  const { operator, browser, token } = await withToken('viewer');
  const stored = await portcullis.db('operator_api_tokens').where({ operator_id: operator.id }).first();
  assert.deepEqual([stored.token_hash, stored.prefix, stored.name], [hashSecretToken(token), token.slice(0, 10), 'deploy pipeline']);
  assert.ok(Math.abs(new Date(stored.expires_at).getTime() - Date.now() - 30 * 86_400_000) < 60_000, 'expires in 30 days');
  const page = await (await browser.get('/console/account')).text();
  assert.doesNotMatch(page, new RegExp(token), 'shown once only');
  assert.match(page, new RegExp(`<code>${token.slice(0, 10)}…</code>`));

  assert.equal((await admin('/admin/v1/apis', token)).status, 200);
  const refused = await admin('/admin/v1/organisations', token, newOrganisation());
  assert.equal(refused.status, 403);
  assert.equal((await refused.json() as { detail: string }).detail, 'The viewer role may not do this: it needs the operate right');
  assert.ok((await portcullis.db('operator_api_tokens').where({ id: stored.id }).first()).last_used_at, 'use recorded');

  const made = () => portcullis.db('audit_log').where({ kind: 'admin', action: 'POST /admin/v1/me/tokens', actor: `operator:${operator.id}` });
  await eventually(async () => (await made()).length === 1, { withinMs: 5_000, what: 'the token\'s making audited' });
  const [entry] = await made();
  assert.equal(entry.status, 201);
  assert.deepEqual(entry.payload.request, { name: 'deploy pipeline', expiresInDays: 30 });
  assert.equal(entry.payload.after.id, stored.id);
  assert.doesNotMatch(JSON.stringify(entry.payload), /pco_[A-Za-z0-9_-]{43}/, 'the token never enters the audit');
});

test('an operator\'s token changes things, audited as them; a role taken away or the operator disabled takes effect at once', async () => {
  const { operator, token } = await withToken('operator');
  const created = await admin('/admin/v1/organisations', token, newOrganisation());
  assert.equal(created.status, 201);
  const { id } = await created.json() as { id: string };
  const audited = () => portcullis.db('audit_log').where({ kind: 'admin', action: 'POST /admin/v1/organisations' }).whereRaw("payload->'after'->>'id' = ?", [id]);
  await eventually(async () => (await audited()).length === 1, { withinMs: 5_000, what: 'the change audited' });
  assert.equal((await audited())[0].actor, `operator:${operator.id}`);

  await portcullis.db('operators').where({ id: operator.id }).update({ role: 'viewer' });
  assert.equal((await admin('/admin/v1/organisations', token, newOrganisation())).status, 403);
  await portcullis.db('operators').where({ id: operator.id }).update({ disabled_at: new Date() });
  assert.equal((await admin('/admin/v1/apis', token)).status, 401);
});

test('a revoked, expired or unknown token is 401; revoking twice is 409, another\'s token 404; the admin token works and has no personal tokens', async () => {
  const { operator, browser, token } = await withToken('admin', 'to revoke');
  const tokenId = (await portcullis.db('operator_api_tokens').where({ operator_id: operator.id }).first()).id;
  const other = await withToken('operator', 'not theirs');
  const otherId = (await portcullis.db('operator_api_tokens').where({ operator_id: other.operator.id }).first()).id;
  const csrf = csrfIn(await (await browser.get('/console/account')).text());
  assert.equal((await browser.post(`/console/account/tokens/${otherId}/revoke`, { csrf })).status, 404);
  const revoked = await browser.post(`/console/account/tokens/${tokenId}/revoke`, { csrf });
  assert.equal(revoked.status, 303);
  assert.equal(revoked.headers.get('location'), '/console/account?revoked');
  assert.equal((await browser.post(`/console/account/tokens/${tokenId}/revoke`, { csrf })).status, 409);
  const refused = await admin('/admin/v1/apis', token);
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="admin", error="invalid_token"');
  assert.equal((await admin('/admin/v1/apis', other.token)).status, 200, 'another\'s token is untouched');

  await portcullis.db('operator_api_tokens').where({ id: otherId }).update({ expires_at: new Date(Date.now() - 1000) });
  assert.equal((await admin('/admin/v1/apis', other.token)).status, 401, 'expired');
  assert.equal((await admin('/admin/v1/apis', `pco_${'A'.repeat(43)}`)).status, 401, 'unknown');

  const adminToken = portcullis.secrets.adminToken;
  assert.equal((await admin('/admin/v1/apis', adminToken)).status, 200);
  const none = await admin('/admin/v1/me/tokens', adminToken);
  assert.equal(none.status, 403);
});

test('through the admin API an operator lists, makes (no later than the token used) and revokes their own tokens', async () => {
  const { token } = await withToken('viewer', 'first');
  const made = await admin('/admin/v1/me/tokens', token, { name: 'second', expiresInDays: 365 });
  assert.equal(made.status, 201);
  const second = await made.json() as { id: string; token: string; expiresAt: string; status: string };
  assert.match(second.token, /^pco_[A-Za-z0-9_-]{43}$/);
  assert.ok(new Date(second.expiresAt).getTime() < Date.now() + 31 * 86_400_000, 'no later than the token that made it');
  assert.equal((await admin('/admin/v1/me/tokens', token, { name: '', expiresInDays: 12 })).status, 400);

  const listed = await (await admin('/admin/v1/me/tokens', second.token)).json() as { tokens: Array<{ name: string; status: string }> };
  assert.deepEqual(listed.tokens.map((each) => [each.name, each.status]), [['second', 'active'], ['first', 'active']]);
  assert.equal((await admin(`/admin/v1/me/tokens/${second.id}/revoke`, token, {})).status, 200);
  assert.equal((await admin('/admin/v1/apis', second.token)).status, 401);
  const audited = () => portcullis.db('audit_log').where({ kind: 'admin', action: 'POST /admin/v1/me/tokens/{tokenId}/revoke' }).whereRaw("payload->'params'->>'tokenId' = ?", [second.id]);
  await eventually(async () => (await audited()).length === 1, { withinMs: 5_000, what: 'the revocation audited' });
  const [entry] = await audited();
  assert.deepEqual([entry.payload.before.status, entry.payload.after.status], ['active', 'revoked']);
});
