/**
 * The console's audit section and the admin API's audit routes: search by each filter, newest
 * first, paged by keyset; an entry whole; the chain verified (whole, then broken where a row was
 * tampered with, also in parts); an export an auditor re-verifies with the documented recipe
 * alone (canonicalize + SHA-256), itself audited. A viewer may do all of it: it only reads.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import canonicalize from 'canonicalize';

import { ADMIN_OPENAPI } from '../../src/admin/admin-api.openapi.ts';
import { createAuditLog } from '../../src/audit/audit-log.ts';
import { verifyAuditChainPart } from '../../src/audit/audit-verification.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { capturedLogger } from '../helpers/captured-logger.ts';
import { insertOperator, signedInConsole } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { openIsolatedStore, type IsolatedStore } from '../helpers/isolated-store.ts';
import type { PortalBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

// Tampering needs DDL on committed rows: a store of this file's own, so no other file's chain breaks.
let store: IsolatedStore;
let portcullis: TestPortcullis;
let viewer: PortalBrowser;
let viewerId: string;
let adminFetch: (path: string) => Promise<Response>;
const tag = randomUUID().slice(0, 8);
const partner = `tpp-${tag}`;

before(async () => {
  store = await openIsolatedStore();
  portcullis = await startTestPortcullis({ ROLES: 'console' }, { store: store.db });
  const operator = await insertOperator(portcullis.db, portcullis.secrets, { role: 'viewer' });
  viewerId = operator.id;
  viewer = await signedInConsole(portcullis.caPem, portcullis.urls.browser, operator);
  const send = tlsFetch(portcullis.caPem);
  adminFetch = (path) => send(`${portcullis.urls.admin}/admin/v1${path}`, { headers: { authorization: `Bearer ${portcullis.secrets.adminToken}` } });
  // Seven entries an hour apart: calls of one partner under two consents, an admin change, an event.
  const audit = createAuditLog({ db: portcullis.db, clock: systemClock, logger: capturedLogger().logger, batchSize: 100, flushIntervalMs: 60_000, queueLimit: 1000 });
  const at = (hour: number) => new Date(Date.UTC(2026, 10, 1, hour));
  for (let hour = 0; hour < 5; hour += 1) {
    audit.record({ kind: 'call', action: 'GET /open-banking/v3.1/aisp/accounts/{AccountId}', actor: partner, at: at(hour), apiId: `api-${tag}`, route: '/accounts/{AccountId}', clientId: partner, customerId: `cust-${tag}`, consentId: `aac-${tag}-${hour % 2}`, status: 200, payload: { phase: 'answered', bodies: { response: { Data: { hour } } } } });
  }
  audit.record({ kind: 'admin', action: 'POST /admin/v1/applications/{applicationId}/suspend', actor: `operator:op-${tag}`, at: at(5), applicationId: `app-${tag}`, status: 200, payload: { params: { applicationId: `app-${tag}` }, request: null, before: { status: 'active' }, after: { status: 'suspended' } } });
  audit.record({ kind: 'event', action: 'consent.status_changed', actor: partner, at: at(6), consentId: `aac-${tag}-0`, payload: { status: 'Revoked' } });
  await audit.close();
});
after(async () => {
  await portcullis?.close();
  await store?.close();
});

// Every answer is held to the schema the OpenAPI document gives it.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'admin', components: ADMIN_OPENAPI.components }, 'admin');

async function adminJson(path: string): Promise<any> {
  const response = await adminFetch(path);
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  const body: unknown = await response.json();
  const schema = path.startsWith('/audit/verification') ? 'AuditVerification' : path.startsWith('/audit/entries?') ? 'AuditEntryPage' : 'AuditEntry';
  const validate = ajv.getSchema(`admin#/components/schemas/${schema}`)!;
  assert.ok(validate(body), `${schema}: ${JSON.stringify(validate.errors)}`);
  return body;
}

test('the admin API searches by each filter, newest first, paged by keyset; mistakes are 400', async () => {
  const first = await adminJson(`/audit/entries?actor=${partner}&limit=3`);
  assert.equal(first.items.length, 3);
  assert.deepEqual(first.items.map((item: { at: string }) => item.at), ['2026-11-01T06:00:00.000Z', '2026-11-01T04:00:00.000Z', '2026-11-01T03:00:00.000Z']);
  const second = await adminJson(`/audit/entries?actor=${partner}&limit=3&cursor=${first.nextCursor}`);
  assert.deepEqual(second.items.map((item: { at: string }) => item.at), ['2026-11-01T02:00:00.000Z', '2026-11-01T01:00:00.000Z', '2026-11-01T00:00:00.000Z']);
  assert.equal(second.nextCursor, null);

  assert.equal((await adminJson(`/audit/entries?consentId=aac-${tag}-0`)).items.length, 4, 'three calls and the event');
  assert.equal((await adminJson(`/audit/entries?consentId=aac-${tag}-0&kind=call`)).items.length, 3);
  assert.equal((await adminJson(`/audit/entries?customerId=cust-${tag}`)).items.length, 5);
  assert.equal((await adminJson(`/audit/entries?clientId=${partner}&from=2026-11-01T01:00:00Z&to=2026-11-01T03:00:00Z`)).items.length, 2, 'from included, to not');
  assert.equal((await adminJson(`/audit/entries?apiId=api-${tag}&to=2026-11-01T01:00`)).items.length, 1, 'an instant without a zone is UTC');
  const [change] = (await adminJson(`/audit/entries?applicationId=app-${tag}`)).items;
  assert.deepEqual([change.kind, change.actor, change.payload.before, change.payload.after], ['admin', `operator:op-${tag}`, { status: 'active' }, { status: 'suspended' }]);
  assert.match(change.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(await adminJson(`/audit/entries/${change.seq}`), change);

  for (const [query, path] of [['from=yesterday', 'from'], ['kind=login', 'kind'], ['actor=a&actor=b', 'actor'], ['colour=red', 'query'], ['from=2026-11-02T00:00Z&to=2026-11-01T00:00Z', 'to'], ['limit=500', 'limit']]) {
    const response = await adminFetch(`/audit/entries?${query}`);
    assert.equal(response.status, 400, query);
    assert.equal((await response.json() as { errors: Array<{ path: string }> }).errors[0]!.path, path, query);
  }
  assert.equal((await adminFetch('/audit/entries/99999999')).status, 404);
  assert.equal((await adminFetch('/audit/entries/first')).status, 404);
});

test('a viewer searches the console\'s audit log a page at a time and opens an entry with its before, after and hashes', async () => {
  const page = await viewer.get(`/console/audit?actor=${partner}&kind=call`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.equal(html.match(/<tr>\s*<td data-label="When">/g)?.length, 5);
  assert.ok(html.indexOf('2026-11-01 04:00:00') < html.indexOf('2026-11-01 00:00:00'), 'newest first');
  assert.match(html, new RegExp(`href="/console/audit/export\\?actor=${partner}&amp;kind=call"`));

  const change = (await adminJson(`/audit/entries?applicationId=app-${tag}`)).items[0];
  const entry = await (await viewer.get(`/console/audit/entries/${change.seq}`)).text();
  assert.match(entry, /<h3 id="before-heading">Before<\/h3><pre class="audit-json">\{\n {2}&#34;status&#34;: &#34;active&#34;\n\}<\/pre>/);
  assert.match(entry, /<h3 id="after-heading">After<\/h3><pre class="audit-json">\{\n {2}&#34;status&#34;: &#34;suspended&#34;\n\}<\/pre>/);
  assert.ok(entry.includes(change.hash) && entry.includes(change.prevHash), 'both hashes');
  assert.equal((await viewer.get('/console/audit/entries/99999999')).status, 404);
  assert.equal((await viewer.get('/console/audit?from=soon')).status, 400);
});

test('the console pages by keyset: the next page goes on after the last entry shown', async () => {
  const audit = createAuditLog({ db: portcullis.db, clock: systemClock, logger: capturedLogger().logger, batchSize: 100, flushIntervalMs: 60_000, queueLimit: 1000 });
  for (let i = 0; i < 55; i += 1) audit.record({ kind: 'event', action: `bulk.recorded`, actor: `bulk-${tag}`, at: new Date(Date.UTC(2026, 10, 2, 0, i)) });
  await audit.close();
  const first = await (await viewer.get(`/console/audit?actor=bulk-${tag}`)).text();
  assert.equal(first.match(/<tr>\s*<td data-label="When">/g)?.length, 50);
  const next = first.match(/<a href="([^"]+)" rel="next">Older entries<\/a>/)![1]!.replaceAll('&amp;', '&');
  const second = await (await viewer.get(next)).text();
  assert.equal(second.match(/<tr>\s*<td data-label="When">/g)?.length, 5);
  assert.match(second, /2026-11-02 00:04:00/);
  assert.doesNotMatch(second, /rel="next"/);
});

test('a viewer verifies the chain; a row changed behind the log\'s back is pointed at, by the page and the admin API', async () => {
  const whole = await (await viewer.get('/console/audit/verification')).text();
  assert.match(whole, /<h1>The audit chain is whole<\/h1>/);
  const report = await adminJson('/audit/verification');
  assert.deepEqual([report.problemCount, report.complete, report.next], [0, true, null]);
  assert.match(whole, new RegExp(`<strong>${report.count.toLocaleString('en-GB')} entries checked</strong>`));

  const [target] = (await adminJson(`/audit/entries?applicationId=app-${tag}`)).items;
  await tamper(`update audit_log set actor = 'someone-else' where seq = ${target.seq}`);
  try {
    const broken = await viewer.get('/console/audit/verification');
    assert.equal(broken.status, 200);
    const html = await broken.text();
    assert.match(html, /<h1>The audit chain is broken<\/h1>/);
    assert.match(html, new RegExp(`<a href="/console/audit/entries/${target.seq}">${target.seq}</a></th>\\s*<td data-label="Problem">Changed</td>`));
    const found = await adminJson('/audit/verification');
    assert.deepEqual(found.problems, [{ kind: 'changed', seq: target.seq, message: `entry ${target.seq} was changed: its hash does not match its contents` }]);
    // In parts: the part before the row is whole and goes on; the part from it finds it.
    const part = await verifyAuditChainPart(portcullis.db, undefined, 1);
    assert.deepEqual([part.complete, part.problemCount], [false, 0]);
    assert.equal((await adminJson(`/audit/verification?after=${target.seq - 1}`)).problems[0].seq, target.seq);
  } finally {
    await tamper(`update audit_log set actor = '${target.actor}' where seq = ${target.seq}`);
  }
  assert.equal((await adminJson('/audit/verification')).problemCount, 0);
  assert.equal((await adminFetch('/audit/verification?after=x')).status, 400);
});

/** Changes committed rows as a DBA could: past the append-only triggers with DDL. */
async function tamper(sql: string): Promise<void> {
  await portcullis.db.transaction(async (trx) => {
    await trx.raw('alter table audit_log disable trigger user');
    await trx.raw(sql);
    await trx.raw('alter table audit_log enable trigger user');
  });
}

test('an export re-verifies with the documented recipe alone, and is itself audited with who exported what', async () => {
  const response = await viewer.get(`/console/audit/export?clientId=${partner}`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type')!, /^application\/jsonl/);
  assert.match(response.headers.get('content-disposition')!, /^attachment; filename="portcullis-audit-.*\.jsonl"/);
  const [header, ...lines] = (await response.text()).trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.equal(header.format, 'portcullis-audit-export/1');
  assert.deepEqual(header.selection, { clientId: partner });
  assert.equal(header.exportedBy, `operator:${viewerId}`);
  assert.ok(header.recipe.some((step: string) => step.includes('RFC 8785')));
  assert.equal(lines.length, 5);
  for (const line of lines) {
    const { hash, prevHash, ...rest } = line;
    assert.equal(createHash('sha256').update(prevHash + canonicalize(rest)).digest('hex'), hash, `entry ${line.seq}`);
  }
  const sorted = [...lines].sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < sorted.length; i += 1) assert.equal(sorted[i].prevHash, sorted[i - 1].hash, 'consecutive entries link');

  const exported = async () => (await adminJson(`/audit/entries?actor=operator:${viewerId}&kind=admin`)).items;
  await eventually(async () => (await exported()).length === 1, { withinMs: 5_000, what: 'the export in the audit log' });
  const [entry] = await exported();
  assert.deepEqual([entry.action, entry.payload], ['GET /admin/v1/audit/export', { selection: { clientId: partner } }]);

  const byToken = await adminFetch(`/audit/export?customerId=cust-${tag}&from=2026-11-01T03:00:00Z`);
  assert.equal(byToken.status, 200);
  assert.equal((await byToken.text()).trimEnd().split('\n').length, 3, 'the header and two entries');
  assert.equal((await adminJson(`/audit/entries?actor=admin-token&kind=admin`)).items[0].payload.selection.customerId, `cust-${tag}`);
  assert.equal((await viewer.get('/console/audit/export?to=never')).status, 400);
});
