/**
 * The record of the transport certificates clients authenticate with, against the real store and
 * a frozen clock: a pair is written at its first sighting, its last sighting at most hourly; a
 * failed write is logged, counted and tried again at the next sighting; past the limit of writes in
 * flight a sighting is shed and counted; a certificate that cannot be read is logged, not thrown.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { clientCertificateSightings } from '../../../src/auth/mtls/client-certificate-sightings.ts';
import type { Knex } from '../../../src/db/knex.ts';
import { certificateThumbprint } from '../../../src/pki/certificate-thumbprint.ts';
import { generateKeyPair } from '../../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../../src/pki/issue-certificate.ts';
import { capturedLogger } from '../../helpers/captured-logger.ts';
import { fixedClock } from '../../helpers/fixed-clock.ts';
import { openTestStore } from '../../helpers/store.ts';

let db: Knex;
before(async () => {
  db = await openTestStore();
});
after(() => db?.destroy());

const HOUR_MS = 3_600_000;

async function registeredClient(): Promise<string> {
  const clientId = `sightings-${randomUUID()}`;
  await db('oidc_clients').insert({ client_id: clientId, metadata: JSON.stringify({ client_id: clientId }) });
  return clientId;
}

function certificate(commonName: string): string {
  return issueCertificate({ subject: { commonName, organizationName: 'Sightings TPP Ltd', countryName: 'GB' }, profile: 'client', privateKeyPem: generateKeyPair('ec').privateKeyPem, validDays: 20 });
}

function recorder(options: { maxPendingWrites?: number } = {}) {
  const clock = fixedClock('2026-12-06T12:00:00Z');
  const log = capturedLogger();
  const sightings = clientCertificateSightings({ db, clock, logger: log.logger, refreshMs: HOUR_MS, maxRemembered: 100, maxPendingWrites: options.maxPendingWrites ?? 10 });
  return { clock, log, sightings };
}

const rows = (clientId: string) => db('oidc_client_certificates').where({ client_id: clientId }).orderBy('first_seen_at');

test('a certificate is written at its first sighting, and its last sighting again only once an hour has passed', async () => {
  const clientId = await registeredClient();
  const pem = certificate('hourly-tpp');
  const { clock, sightings } = recorder();

  sightings.sight(clientId, pem);
  await sightings.close();
  const [first] = await rows(clientId);
  assert.deepEqual([first.thumbprint, first.subject_dn, first.first_seen_at.toISOString(), first.last_seen_at.toISOString()],
    [certificateThumbprint(pem), 'C=GB, O=Sightings TPP Ltd, CN=hourly-tpp', '2026-12-06T12:00:00.000Z', '2026-12-06T12:00:00.000Z']);

  clock.advance(59 * 60);
  sightings.sight(clientId, pem);
  await sightings.close();
  assert.equal((await rows(clientId))[0].last_seen_at.toISOString(), '2026-12-06T12:00:00.000Z', 'within the hour: not written');

  clock.advance(2 * 60);
  sightings.sight(clientId, pem);
  await sightings.close();
  const [refreshed] = await rows(clientId);
  assert.deepEqual([refreshed.first_seen_at.toISOString(), refreshed.last_seen_at.toISOString()], ['2026-12-06T12:00:00.000Z', '2026-12-06T13:01:00.000Z']);
  assert.deepEqual(sightings.stats(), { written: 2, failures: 0, shed: 0 });
});

test('a write that fails is logged and counted, never thrown, and tried again at the next sighting', async () => {
  const { log, sightings } = recorder();
  // No such client: the store refuses the row (its client must be registered).
  const pem = certificate('orphan-tpp');
  assert.doesNotThrow(() => sightings.sight('no-such-client', pem));
  await sightings.close();
  sightings.sight('no-such-client', pem);
  await sightings.close();
  assert.deepEqual(sightings.stats(), { written: 0, failures: 2, shed: 0 });
  const failures = log.lines.filter((line) => line.msg === 'client_certificate.record_failed');
  assert.deepEqual(failures.map((line) => [line['clientId'], line['thumbprint']]), [['no-such-client', certificateThumbprint(pem)], ['no-such-client', certificateThumbprint(pem)]]);
});

test('past the writes allowed in flight a sighting is shed and counted, and written at a later one; an unreadable certificate is logged', async () => {
  const clientId = await registeredClient();
  const { log, sightings } = recorder({ maxPendingWrites: 1 });
  const [one, two] = [certificate('first-tpp'), certificate('second-tpp')];
  sightings.sight(clientId, one);
  sightings.sight(clientId, two);
  await sightings.close();
  assert.deepEqual((await rows(clientId)).map((row) => row.thumbprint), [certificateThumbprint(one)]);
  assert.deepEqual(sightings.stats(), { written: 1, failures: 0, shed: 1 });
  assert.ok(log.messages().includes('client_certificate.record_shed'));

  sightings.sight(clientId, two);
  await sightings.close();
  assert.deepEqual((await rows(clientId)).map((row) => row.thumbprint).sort(), [certificateThumbprint(one), certificateThumbprint(two)].sort());

  assert.doesNotThrow(() => sightings.sight(clientId, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'));
  await sightings.close();
  assert.ok(log.messages().includes('client_certificate.unreadable'));
  assert.equal((await rows(clientId)).length, 2);
});
