import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { verifyAuditChain } from '../../src/audit/verify-audit-chain.ts';
import { openStore } from '../../src/db/knex.ts';
import { createApplication, createOrganisation, setApplicationState } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { startDatabaseProxy, type DatabaseProxy } from '../helpers/database-proxy.ts';
import { pollUntil } from '../helpers/eventually.ts';
import { addTestApi } from '../helpers/gateway-catalogue.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { storeKind } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type SeenRequest, type UpstreamServer } from '../helpers/upstream-server.ts';

/*
 * Step 10 through the real listener: an audited route's calls land in the hash-chained audit log
 * with their outcome; a route whose audit is `required` has its entry committed before the
 * upstream is called, and fails closed (503, Retry-After, the upstream untouched) when the audit
 * log cannot take it; domain events are audited too; the chain verifies.
 */

let app: TestPortcullis;
let upstream: UpstreamServer;
let call: typeof fetch;
const base = `/ledger-${randomUUID().slice(0, 8)}/v1`;
// What the audit log held for an interaction when the upstream was called.
const committedBeforeForward = new Map<string, number>();

// Audit entries are written within the flush interval (a second); a test waits longer before failing.
const SOON = { withinMs: 4000, everyMs: 50 };

async function entriesOf(interactionId: string) {
  return app.db('audit_log').select('kind', 'action', 'status', 'payload').whereRaw("payload->>'interactionId' = ?", [interactionId]).orderBy('seq');
}

before(async () => {
  upstream = await startUpstreamServer((request: SeenRequest, res) => {
    const interactionId = String(request.headers['x-fapi-interaction-id']);
    void entriesOf(interactionId).then((rows) => {
      committedBeforeForward.set(interactionId, rows.length);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  app = await startTestPortcullis();
  call = tlsFetch(app.caPem);
  await addTestApi(app.db, app.events, {
    basePath: base, authKind: 'none', upstreams: [{ url: upstream.url, weight: 1 }],
    routes: [{ method: 'GET', path: '/entries', policy: { audit: 'on' } }, { method: 'POST', path: '/transfers', policy: { audit: 'required', captureBodies: { redact: ['pin', 'token'] } } }, { method: 'GET', path: '/health' }],
  });
  await pollUntil(() => call(`${app.urls.public}${base}/health`).then((response) => response.status), (status) => status === 200, SOON);
});
after(async () => {
  await app?.close();
  await upstream?.close();
});

const send = (path: string, method = 'GET', body?: string) => {
  const interactionId = randomUUID();
  return { interactionId, response: call(`${app.urls.public}${base}${path}`, { method, headers: { 'x-fapi-interaction-id': interactionId, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body } : {}) }) };
};

test(`an audited route's call is in the audit log with its outcome; an unaudited one is not (${storeKind})`, async () => {
  const audited = send('/entries');
  assert.equal((await audited.response).status, 200);
  const { value: rows } = await pollUntil(() => entriesOf(audited.interactionId), (found) => found.length === 1, SOON);
  assert.equal(rows[0].kind, 'call');
  assert.equal(rows[0].action, `GET ${base}/entries`);
  assert.equal(rows[0].status, 200);
  assert.equal(rows[0].payload.phase, 'answered');

  const plain = send('/health');
  assert.equal((await plain.response).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.deepEqual(await entriesOf(plain.interactionId), []);
});

test(`a required audit entry is committed before the upstream is called, and the bodies are captured redacted (${storeKind})`, async () => {
  const required = send('/transfers', 'POST', JSON.stringify({ amount: '10.00', Pin: '1234', payee: { name: 'Ann', token: 'secret' } }));
  assert.equal((await required.response).status, 200);
  assert.equal(committedBeforeForward.get(required.interactionId), 1, 'the upstream found the admitted entry committed');
  const { value: rows } = await pollUntil(() => entriesOf(required.interactionId), (found) => found.length === 2, SOON);
  assert.deepEqual(rows.map((row) => [row.payload.phase, row.status]), [['admitted', null], ['answered', 200]]);
  assert.deepEqual(rows[1].payload.bodies, { request: { amount: '10.00', Pin: '[redacted]', payee: { name: 'Ann', token: '[redacted]' } }, response: { ok: true } });
});

test(`domain events are audited, and the chain verifies (${storeKind})`, async () => {
  const context = { db: app.db, events: app.events, clock: systemClock };
  const organisation = await createOrganisation(context, { name: `Ledger ${randomUUID()}` });
  const application = await createApplication(context, { organisationId: organisation.id, name: 'books' });
  await setApplicationState(context, application.id, 'suspended');
  const { value: rows } = await pollUntil(
    () => app.db('audit_log').select('action', 'application_id').where({ kind: 'event', application_id: application.id }).orderBy('seq'),
    (found) => found.length === 2,
    SOON,
  );
  assert.deepEqual(rows.map((row) => row.action), ['application.created', 'application.status_changed']);
  const report = await verifyAuditChain(app.db);
  assert.deepEqual(report.problems, []);
});

test('an audit-required call fails closed while the audit log cannot be written; others still pass', { skip: storeKind !== 'postgresql' && 'the store is taken away through a TCP proxy: PostgreSQL only' }, async (t) => {
  const proxy: DatabaseProxy = await startDatabaseProxy(process.env.DATABASE_URL!);
  t.after(() => proxy.close());
  const cut = await startTestPortcullis({}, { store: openStore({ databaseUrl: proxy.url }) });
  t.after(() => cut.close());
  const fetchCut = tlsFetch(cut.caPem);
  await pollUntil(() => fetchCut(`${cut.urls.public}${base}/health`).then((response) => response.status), (status) => status === 200, SOON);
  const seen = upstream.seen.length;
  await proxy.cut('refused');
  try {
    const refused = await fetchCut(`${cut.urls.public}${base}/transfers`, { method: 'POST' });
    assert.equal(refused.status, 503);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(((await refused.json()) as { type: string }).type.endsWith('/unavailable'), true);
    assert.equal(upstream.seen.length, seen, 'the upstream was not called');
    assert.equal((await fetchCut(`${cut.urls.public}${base}/health`)).status, 200, 'a route that needs no store still answers');
  } finally {
    await proxy.restore();
  }
});
