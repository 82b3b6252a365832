/**
 * Issue 15: a PostgreSQL restart and a 10 s outage while partners keep writing. Loops keep sending
 * writes (consents of two kinds and payments through the gateway, each under a fresh
 * x-idempotency-key; calls to a route whose audit is required) and audited reads, each with an
 * interaction id of its own, before, during and after two faults of the store's TCP proxy: a
 * restart (every connection reset, then refused for two seconds) and a ten-second silence. Every answer is
 * recorded and judged: while the store is away a write is refused with 503 and Retry-After in its
 * surface's format, never a 500; /readyz says not ready; writes succeed again within 5 s of the
 * store's return; and nothing that was acknowledged is lost: each consent, payment and audit entry
 * a success answered for is in the database afterwards (read directly, not through the proxy),
 * once, and the audit chain verifies.
 *
 * PostgreSQL only, like store-outage.int.test.ts: PGlite runs in the test process and cannot go
 * away on its own. The store is a schema of this file's own, so that the audit chain verified is
 * the one this instance wrote.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { verifyAuditChain } from '../../src/audit/verify-audit-chain.ts';
import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { openStore, type Knex } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { OB_PAYMENT_READS, OB_PAYMENT_SUBMISSIONS } from '../../src/gateway/openbanking/ob-payment-resources.ts';
import { accountAccessBody, domesticPaymentBody } from '../consent/consent-bodies.ts';
import { startDatabaseProxy, type DatabaseProxy, type OutageKind } from '../helpers/database-proxy.ts';
import { pollUntil } from '../helpers/eventually.ts';
import { addTestApi, ownObBasePath } from '../helpers/gateway-catalogue.ts';
import { createIsolatedSchema } from '../helpers/isolated-store.ts';
import { obPartner, type ObPartner } from '../helpers/ob-partner.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

const databaseUrl = process.env.DATABASE_URL;
const skip = databaseUrl ? false : 'PostgreSQL only (set DATABASE_URL): PGlite runs in the test process and cannot go down on its own';

/** Issue 15: writes succeed again within 5 s of the database's return. */
const RECOVERY_BOUND_MS = 5_000;
const RESTART_MS = 2_000;
const OUTAGE_MS = 10_000;
/** Load before, between and after the faults. */
const STEADY_MS = 2_000;
/** A request unanswered after this is recorded as unanswered (status 0), which fails the test instead of stalling it. */
const GIVE_UP_MS = 15_000;
/** Authorised payment consents made ready for the payment loop, one per submission. */
const PAYMENT_CONSENTS = 16;
/** Time between two payments: enough consents last through the whole run. */
const PAYMENT_EVERY_MS = 1_200;

const AIS = CONSENT_KINDS['account-access'].path;
const PIS = CONSENT_KINDS['domestic-payment'].path;
const PISP = ownObBasePath('pisp');
const PAYMENTS = `${PISP}/domestic-payments`;
const LEDGER = `/ledger-${randomUUID().slice(0, 8)}/v1`;

type LoopName = 'ais-consent' | 'pis-consent' | 'payment' | 'required-call' | 'audited-read' | 'readiness';
/** Loops whose every success wrote to the store before it was answered. */
const WRITES: readonly LoopName[] = ['ais-consent', 'pis-consent', 'payment', 'required-call'];

interface Answer {
  loop: LoopName;
  /** performance.now() when sent and when the whole answer was read. */
  sentAt: number;
  answeredAt: number;
  /** 0: no answer within GIVE_UP_MS. */
  status: number;
  headers: Headers;
  text: string;
  /** The x-fapi-interaction-id sent, which names the call in the audit log. */
  interactionId: string;
  /** The payment loop's idempotency key and consent. */
  payment?: { idempotencyKey: string; consentId: string };
}

interface Fault {
  name: string;
  kind: OutageKind;
  /** When the cut began, when it had completed, and when the restore began (performance.now()). */
  cutFrom: number;
  cutAt: number;
  restoredAt: number;
  /** Restore to the first 2xx of a consent created again and again. */
  recoveryMs: number;
  /** Restore to the first 200 from /readyz. */
  readyAgainMs: number;
}

interface PaymentConsent {
  consentId: string;
  token: string;
  body: ReturnType<typeof domesticPaymentBody>;
}

let schema: { databaseUrl: string; drop(): Promise<void> };
/** The real database, straight: what is checked afterwards never goes through the proxy. */
let db: Knex;
let proxy: DatabaseProxy;
let app: TestPortcullis;
let appClosed = false;
let bank: UpstreamServer;
let partner: ObPartner;
let fetchMtls: typeof fetch;
let fetchTls: typeof fetch;
let accountsToken: string;
let paymentsToken: string;
const paymentConsents: PaymentConsent[] = [];

async function send(loop: LoopName, fetchImpl: typeof fetch, url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Answer> {
  const interactionId = randomUUID();
  const sentAt = performance.now();
  try {
    const response = await fetchImpl(url, { ...init, headers: { ...init.headers, 'x-fapi-interaction-id': interactionId }, redirect: 'manual', signal: AbortSignal.timeout(GIVE_UP_MS) });
    const text = await response.text();
    return { loop, sentAt, answeredAt: performance.now(), status: response.status, headers: response.headers, text, interactionId };
  } catch (error) {
    return { loop, sentAt, answeredAt: performance.now(), status: 0, headers: new Headers(), text: String(error), interactionId };
  }
}

/** An Open Banking POST, signed when it initiates a payment (the Payment Initiation API requires it; the Account Information API has none). */
async function obWrite(loop: LoopName, path: string, token: string, body: unknown, idempotencyKey = randomUUID()): Promise<Answer> {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-idempotency-key': idempotencyKey };
  if (path !== AIS) headers['x-jws-signature'] = await partner.sign(text);
  return send(loop, fetchMtls, `${app.urls.partner}${path}`, { method: 'POST', headers, body: text });
}

/** One request of each loop. */
const requests: Record<Exclude<LoopName, 'payment'>, () => Promise<Answer>> = {
  'ais-consent': () => obWrite('ais-consent', AIS, accountsToken, accountAccessBody()),
  'pis-consent': () => obWrite('pis-consent', PIS, paymentsToken, domesticPaymentBody('9.99')),
  'required-call': () => send('required-call', fetchTls, `${app.urls.public}${LEDGER}/transfers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":"1.00"}' }),
  'audited-read': () => send('audited-read', fetchTls, `${app.urls.public}${LEDGER}/entries`),
  readiness: () => send('readiness', fetchMtls, `${app.urls.partner}/readyz`),
};

async function pay(consent: PaymentConsent): Promise<Answer> {
  const idempotencyKey = randomUUID();
  const submission = { Data: { ConsentId: consent.consentId, Initiation: consent.body.Data.Initiation }, Risk: consent.body.Risk };
  const answer = await obWrite('payment', PAYMENTS, consent.token, submission, idempotencyKey);
  return { ...answer, payment: { idempotencyKey, consentId: consent.consentId } };
}

/** A domestic payment consent Alice authorised, and the token that pays it. */
async function authorisedPaymentConsent(): Promise<PaymentConsent> {
  const body = domesticPaymentBody('12.50');
  const created = await partner.call('POST', PIS, { body, token: paymentsToken, sign: true });
  assert.equal(created.status, 201, created.text);
  const consentId = created.json.Data.ConsentId as string;
  const tokens = await partner.authorise(consentId, 'payments', { choices: { debtor: 'acc-0001-current' } });
  return { consentId, token: tokens.access_token, body };
}

/** Runs every loop until `stop` resolves, recording every answer in `answers`. */
function startLoad(answers: Answer[], stop: Promise<void>): Promise<void> {
  let running = true;
  void stop.then(() => { running = false; });
  const loop = async (request: () => Promise<Answer>, pauseMs = 0) => {
    while (running) {
      answers.push(await request());
      if (pauseMs) await sleep(pauseMs);
    }
  };
  const payments = async () => {
    for (const consent of paymentConsents) {
      if (!running) return;
      const started = performance.now();
      answers.push(await pay(consent));
      await sleep(Math.max(0, PAYMENT_EVERY_MS - (performance.now() - started)));
    }
  };
  return Promise.all([
    // Two loops per consent kind, so that writes are in flight on more than one connection at once.
    loop(requests['ais-consent']), loop(requests['ais-consent']),
    loop(requests['pis-consent']), loop(requests['pis-consent']),
    loop(requests['required-call']),
    loop(requests['audited-read'], 20),
    loop(requests.readiness, 100),
    payments(),
  ]).then(() => undefined);
}

/**
 * Cuts the proxy for `ms`, restores it, and measures how soon a write and /readyz succeed again;
 * what those polls were answered goes to `answers` with the rest.
 */
async function fault(answers: Answer[], name: string, kind: OutageKind, ms: number): Promise<Fault> {
  const cutFrom = performance.now();
  await proxy.cut(kind);
  const cutAt = performance.now();
  await sleep(ms);
  const restoredAt = performance.now();
  await proxy.restore();
  const recorded = async (request: () => Promise<Answer>) => {
    const answer = await request();
    answers.push(answer);
    return answer.status;
  };
  const recovered = async (request: () => Promise<Answer>, status: number) => {
    await pollUntil(() => recorded(request), (answered) => answered === status, { withinMs: GIVE_UP_MS, everyMs: 100, what: `${name}: ${status}` });
    return Math.round(performance.now() - restoredAt);
  };
  const [recoveryMs, readyAgainMs] = await Promise.all([recovered(requests['ais-consent'], 201), recovered(requests.readiness, 200)]);
  return { name, kind, cutFrom, cutAt, restoredAt, recoveryMs, readyAgainMs };
}

function describeAnswer(answer: Answer): string {
  return `${answer.loop} ${answer.status} (${answer.interactionId}): ${answer.text.slice(0, 300)}`;
}

/** A 503 in the format of the surface that answered, with Retry-After. */
function assertUnavailable(answer: Answer): void {
  assert.equal(answer.status, 503, describeAnswer(answer));
  assert.match(answer.headers.get('retry-after') ?? '', /^[1-9]\d*$/, describeAnswer(answer));
  assert.equal(answer.headers.get('cache-control'), 'no-store', describeAnswer(answer));
  const body = JSON.parse(answer.text);
  if (answer.loop === 'readiness') {
    assert.deepEqual(body, { status: 'unavailable', store: 'unreachable' });
  } else if (answer.loop === 'required-call') {
    assert.equal(answer.headers.get('content-type'), 'application/problem+json', describeAnswer(answer));
    assert.match(body.type, /\/unavailable$/, describeAnswer(answer));
    assert.equal(body.status, 503);
  } else {
    assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8', describeAnswer(answer));
    assert.equal(answer.headers.get('x-fapi-interaction-id'), answer.interactionId);
    assert.equal(body.Code, '503 ServiceUnavailable', describeAnswer(answer));
    assert.deepEqual(body.Errors.map((error: { ErrorCode: string }) => error.ErrorCode), ['UK.OBIE.UnexpectedError']);
  }
}

const SUCCESS: Record<LoopName, number> = { 'ais-consent': 201, 'pis-consent': 201, payment: 201, 'required-call': 200, 'audited-read': 200, readiness: 200 };
const succeeded = (answer: Answer) => answer.status === SUCCESS[answer.loop];

/**
 * Judges every answer against the faults: one sent after a cut and answered before its restore
 * is a 503 (a write, /readyz) or a success (an audited read, which needs no store); one that
 * overlapped a fault, or came within the recovery bound after it, is a success or a 503; any
 * other is a success. Nothing is ever a 500, another status, or unanswered.
 */
function judge(answers: readonly Answer[], faults: readonly Fault[]): void {
  for (const answer of answers) {
    const within = faults.find((f) => answer.sentAt >= f.cutAt && answer.answeredAt <= f.restoredAt);
    const near = faults.find((f) => answer.answeredAt > f.cutFrom && answer.sentAt < f.restoredAt + RECOVERY_BOUND_MS);
    if (answer.loop === 'audited-read') assert.ok(succeeded(answer), `the gateway serves what needs no store, outage or not: ${describeAnswer(answer)}`);
    else if (within) assertUnavailable(answer);
    else if (near && !succeeded(answer)) assertUnavailable(answer);
    else assert.ok(succeeded(answer), `away from the faults: ${describeAnswer(answer)}`);
  }
}

function tally(t: TestContext, answers: readonly Answer[], faults: readonly Fault[]): void {
  for (const f of faults) {
    const during = answers.filter((answer) => answer.sentAt >= f.cutAt && answer.answeredAt <= f.restoredAt);
    const writes = during.filter((answer) => WRITES.includes(answer.loop));
    t.diagnostic(`${f.name} (${f.kind}): writes answered during it: ${writes.filter((a) => a.status === 503).length} × 503, ${writes.filter(succeeded).length} acknowledged; /readyz: ${during.filter((a) => a.loop === 'readiness' && a.status === 503).length} × 503; audited reads served: ${during.filter((a) => a.loop === 'audited-read' && succeeded(a)).length}; first write 201 ${f.recoveryMs} ms after restore, /readyz 200 after ${f.readyAgainMs} ms`);
  }
  const byLoop = Object.groupBy(answers, (answer) => answer.loop);
  for (const [loop, of] of Object.entries(byLoop)) t.diagnostic(`${loop}: ${of!.length} answers, ${of!.filter(succeeded).length} acknowledged, ${of!.filter((a) => a.status === 503).length} × 503`);
}

/** Audit entries of the calls with these interaction ids, per interaction id, as `phase status`. */
async function callEntries(interactionIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await db('audit_log').select('status', 'payload').where({ kind: 'call' }).whereRaw("payload->>'interactionId' = any(?)", [[...interactionIds]]).orderBy('seq');
  const entries = new Map<string, string[]>();
  for (const row of rows) entries.set(row.payload.interactionId, [...(entries.get(row.payload.interactionId) ?? []), `${row.payload.phase} ${row.status ?? '-'}`]);
  return entries;
}

async function assertNothingAcknowledgedLost(answers: readonly Answer[]): Promise<void> {
  const acknowledged = (loop: LoopName) => answers.filter((answer) => answer.loop === loop && succeeded(answer));

  const consentIds = [...acknowledged('ais-consent'), ...acknowledged('pis-consent')].map((answer) => JSON.parse(answer.text).Data.ConsentId as string);
  assert.equal(new Set(consentIds).size, consentIds.length, 'every acknowledged consent is a consent of its own');
  const stored = new Set((await db('consents').select('id').whereIn('id', consentIds)).map((row) => row.id as string));
  assert.deepEqual(consentIds.filter((id) => !stored.has(id)), [], 'acknowledged consents missing from the database');
  const created = await db('audit_log').select('consent_id').where({ kind: 'event', action: 'consent.created' }).whereIn('consent_id', consentIds);
  const createdCounts = Map.groupBy(created, (row) => row.consent_id as string);
  assert.deepEqual(consentIds.filter((id) => createdCounts.get(id)?.length !== 1).map((id) => `${id}: ${createdCounts.get(id)?.length ?? 0}`), [], 'acknowledged consents without exactly one consent.created audit entry');

  const payments = acknowledged('payment');
  const submissions = await db('gateway_payment_submissions').select('idempotency_key', 'consent_id', 'state', 'response_status', 'payment_id').whereIn('idempotency_key', payments.map((answer) => answer.payment!.idempotencyKey));
  const submissionOf = new Map(submissions.map((row) => [row.idempotency_key as string, row]));
  for (const answer of payments) {
    const { idempotencyKey, consentId } = answer.payment!;
    assert.deepEqual(submissionOf.get(idempotencyKey), { idempotency_key: idempotencyKey, consent_id: consentId, state: 'answered', response_status: 201, payment_id: JSON.parse(answer.text).Data.DomesticPaymentId }, describeAnswer(answer));
  }
  const consumed = await db('consents').select('id').whereIn('id', payments.map((answer) => answer.payment!.consentId)).andWhere({ status: 'Consumed' });
  assert.equal(consumed.length, payments.length, 'each acknowledged payment consumed its consent');

  const expected = new Map<string, string[]>([
    ...payments.map((answer): [string, string[]] => [answer.interactionId, ['answered 201']]),
    ...acknowledged('required-call').map((answer): [string, string[]] => [answer.interactionId, ['admitted -', 'answered 200']]),
    ...acknowledged('audited-read').map((answer): [string, string[]] => [answer.interactionId, ['answered 200']]),
  ]);
  const found = await callEntries([...expected.keys()]);
  const wrong = [...expected].filter(([id, entries]) => JSON.stringify(found.get(id)) !== JSON.stringify(entries)).map(([id, entries]) => ({ id, expected: entries, found: found.get(id) }));
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} acknowledged calls without exactly their audit entries`);

  const report = await verifyAuditChain(db);
  assert.deepEqual(report.problems, []);
  assert.ok(report.count >= consentIds.length + expected.size);
}

describe('PostgreSQL restart and outage under write load', { skip }, () => {
  before(async () => {
    schema = await createIsolatedSchema(databaseUrl!);
    db = openStore({ databaseUrl: schema.databaseUrl });
    await migrateToLatest(db);
    proxy = await startDatabaseProxy(schema.databaseUrl);
    bank = await startUpstreamServer((request, res) => {
      res.setHeader('content-type', 'application/json');
      if (request.method !== 'POST') return res.end('{"ok":true}');
      if (!OB_PAYMENT_SUBMISSIONS.has(request.url!)) return res.end('{"recorded":true}');
      const body = JSON.parse(request.body) as { Data: { ConsentId: string; Initiation: unknown } };
      res.statusCode = 201;
      return res.end(JSON.stringify({ Data: { DomesticPaymentId: `dp-${body.Data.ConsentId}`, ConsentId: body.Data.ConsentId, Status: 'AcceptedSettlementInProcess', Initiation: body.Data.Initiation }, Links: { Self: 'x' }, Meta: {} }));
    });
    app = await startTestPortcullis({}, { store: openStore({ databaseUrl: proxy.url }) });
    fetchMtls = tlsFetch(app.caPem, app.sampleClient);
    fetchTls = tlsFetch(app.caPem);
    await addTestApi(app.db, app.events, {
      basePath: LEDGER, authKind: 'none', upstreams: [{ url: bank.url, weight: 1 }],
      routes: [{ method: 'GET', path: '/entries', policy: { audit: 'on' } }, { method: 'POST', path: '/transfers', policy: { audit: 'required' } }],
    });
    await addTestApi(app.db, app.events, {
      basePath: PISP, authKind: 'fapi', upstreams: [{ url: bank.url, weight: 1 }],
      routes: [...OB_PAYMENT_SUBMISSIONS.keys(), ...OB_PAYMENT_READS.keys()].map((path) => ({ method: path.includes('{') ? 'GET' : 'POST', path, policy: { scopes: ['payments'] } })),
    });
    partner = await obPartner(app);
    accountsToken = await partner.token('accounts');
    paymentsToken = await partner.token('payments');
    for (let i = 0; i < PAYMENT_CONSENTS; i += 1) paymentConsents.push(await authorisedPaymentConsent());
    await pollUntil(async () => (await requests['required-call']()).status, (status) => status === 200, { withinMs: GIVE_UP_MS, what: 'the ledger API in the catalogue' });
  });
  after(async () => {
    if (!appClosed) await app?.close();
    await proxy?.close();
    await bank?.close();
    await db?.destroy();
    await schema?.drop();
  });

  test('503 with Retry-After while the store is away, ready again and writing within 5 s, and every acknowledged write kept', async (t) => {
    const answers: Answer[] = [];
    let stopLoad!: () => void;
    const load = startLoad(answers, new Promise((resolve) => { stopLoad = resolve; }));
    await sleep(STEADY_MS);
    const restart = await fault(answers, 'restart', 'refused', RESTART_MS);
    await sleep(STEADY_MS);
    const outage = await fault(answers, 'outage', 'black-hole', OUTAGE_MS);
    await sleep(STEADY_MS);
    stopLoad();
    await load;
    const faults = [restart, outage];
    tally(t, answers, faults);

    judge(answers, faults);
    for (const f of faults) {
      // Requests in flight when the network went silent are answered seconds later: counted with the fault they met.
      const met = answers.filter((answer) => answer.answeredAt > f.cutFrom && answer.sentAt < f.restoredAt);
      for (const loop of [...WRITES, 'readiness'] as const) {
        assert.ok(met.some((answer) => answer.loop === loop && answer.status === 503), `${f.name}: ${loop} was refused at least once`);
      }
      assert.ok(f.recoveryMs <= RECOVERY_BOUND_MS, `${f.name}: a write succeeded ${f.recoveryMs} ms after the store came back`);
      assert.ok(f.readyAgainMs <= RECOVERY_BOUND_MS, `${f.name}: ready ${f.readyAgainMs} ms after the store came back`);
    }
    for (const loop of WRITES) {
      assert.ok(answers.some((answer) => answer.loop === loop && succeeded(answer) && answer.sentAt > outage.restoredAt), `${loop} acknowledged after the outage`);
    }

    // Closing the instance flushes what the audit log still holds.
    appClosed = true;
    await app.close();
    await assertNothingAcknowledgedLost(answers);
  });
});
