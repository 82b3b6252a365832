import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { openStore, type Knex } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { accountAccessBody } from '../consent/consent-bodies.ts';
import { obPartner, type ObPartner } from '../helpers/ob-partner.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

/*
 * A real PostgreSQL restart (`pg_ctl restart -m fast` on a server of this test's own: the server
 * ends every connection with 57P01, refuses new ones while it shuts down and starts, then accepts
 * them again) while partners keep creating consents. Every answer is a 201 or a 503 with
 * Retry-After in the Open Banking error format, never a 500; readiness says so while it lasts;
 * consents are created again within 5 s of the server being back; and every consent answered 201
 * is in the database afterwards. The TCP-proxy outages (store-outage, outage-under-load) cover a
 * network that resets or goes silent; this one is the server itself going and coming back.
 */

const skip = !process.env.DATABASE_URL ? 'PostgreSQL runs only (set DATABASE_URL)' : privatePostgresUnavailable();
const AIS = CONSENT_KINDS['account-access'].path;
const LOOPS = 3;
const RECOVERY_BOUND_MS = 5_000;

let server: PrivatePostgres;
let db: Knex;
let app: TestPortcullis;
let partner: ObPartner;

before(async () => {
  if (skip) return;
  server = await startPrivatePostgres();
  const admin = openStore({ databaseUrl: server.url });
  await admin.raw('create database portcullis');
  await admin.destroy();
  const databaseUrl = server.url.replace(/\/postgres$/, '/portcullis');
  db = openStore({ databaseUrl });
  await migrateToLatest(db);
  app = await startTestPortcullis({}, { store: openStore({ databaseUrl }) });
  partner = await obPartner(app);
});
after(async () => {
  await app?.close();
  await db?.destroy();
  server?.close();
});

interface Answer {
  at: number;
  status: number;
  retryAfter: string | null;
  body: any;
}

test('a PostgreSQL restart under load: 201 or 503 with Retry-After, readiness false while it lasts, writes again within 5 s, no acknowledged consent lost', { skip, timeout: 120_000 }, async (t) => {
  const answers: Answer[] = [];
  const readiness: Answer[] = [];
  const call = tlsFetch(app.caPem);
  let loading = true;
  const token = await partner.token('accounts');
  const loops = Array.from({ length: LOOPS }, async () => {
    while (loading) {
      const created = await partner.call('POST', AIS, { body: accountAccessBody(), token, headers: { 'x-idempotency-key': randomUUID() } });
      answers.push({ at: performance.now(), status: created.status, retryAfter: created.headers.get('retry-after'), body: created.json });
    }
  });
  const poll = (async () => {
    while (loading) {
      const response = await call(`${app.urls.partner}/readyz`);
      readiness.push({ at: performance.now(), status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() });
      await sleep(50);
    }
  })();

  await sleep(1500);
  const restarting = performance.now();
  await server.restart();
  const back = performance.now();
  await sleep(3000);
  loading = false;
  await Promise.all([...loops, poll]);

  const unexpected = answers.filter((answer) => answer.status !== 201 && !(answer.status === 503 && answer.retryAfter));
  assert.deepEqual(unexpected, [], 'only 201s and 503s with Retry-After');
  const refused = answers.filter((answer) => answer.status === 503);
  assert.ok(refused.length > 0, 'the restart was felt');
  for (const answer of refused) {
    assert.equal(answer.body.Code, '503 ServiceUnavailable', JSON.stringify(answer.body));
    assert.ok(answer.body.Errors.length > 0);
  }
  assert.ok(readiness.some((answer) => answer.status === 503 && answer.body.status === 'unavailable'), 'readiness said not ready');
  const firstAfter = answers.find((answer) => answer.at > back && answer.status === 201);
  assert.ok(firstAfter, 'consents are created again');
  const recoveryMs = firstAfter.at - back;
  assert.ok(recoveryMs < RECOVERY_BOUND_MS, `first 201 ${Math.round(recoveryMs)} ms after the server was back`);
  assert.equal(answers.filter((answer) => answer.at > firstAfter.at && answer.status !== 201).length, 0, 'and stay so');

  const acknowledged = answers.filter((answer) => answer.status === 201).map((answer) => answer.body.Data.ConsentId as string);
  const stored = new Set((await db('consents').whereIn('id', acknowledged).select('id')).map((row: { id: string }) => row.id));
  assert.deepEqual(acknowledged.filter((id) => !stored.has(id)), [], 'every acknowledged consent is stored');
  t.diagnostic(`restart took ${Math.round(back - restarting)} ms; ${acknowledged.length} consents acknowledged, ${refused.length} × 503; first 201 ${Math.round(recoveryMs)} ms after the server was back`);
});
