import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { Redis } from 'ioredis';

import { CLAIM_SECONDS } from '../../../src/auth/adapter/replay-detection.adapter.ts';
import { defaults } from '../../../src/config/defaults.ts';
import { registerKeyClient, type PartnerKeys } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { clientAssertion, dpopKey, dpopNonce, dpopProof, postForm, type DpopKey } from '../../helpers/raw-oauth.ts';
import { freePort } from '../../helpers/free-port.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

/*
 * The token endpoint with `REDIS_URL` set: client assertions' and DPoP proofs' jtis are claimed in
 * Redis (database 5 here), not in `oidc_replay`, and a replay is refused; with the Redis down, the
 * endpoint answers the RFC 6749 outage error (503, Retry-After), neither a 500 nor a pass.
 */

const REDIS_URL = 'redis://127.0.0.1:6379/5';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const OUTAGE_BODY = { error: 'temporarily_unavailable', error_description: 'the service is temporarily unavailable, try again later' };

// The product's keys (`portcullis:replay:<id>`, random ids) expire by themselves within CLAIM_SECONDS.
const inspector = new Redis(REDIS_URL);
after(() => inspector.quit());

/** The id oidc-provider's `ReplayDetection.unique(iss, jti)` claims (`lib/models/replay_detection.js`), and its Redis key. */
function replayId(issuer: string, jti: string): { id: string; key: string } {
  const id = createHash('sha256').update(`${issuer}${jti}`).digest('base64url');
  return { id, key: `portcullis:replay:${id}` };
}

async function inReplayTable(portcullis: TestPortcullis, id: string): Promise<boolean> {
  return (await portcullis.db('oidc_replay').where({ id }).first()) !== undefined;
}

interface Partner {
  portcullis: TestPortcullis;
  fetchTls: typeof fetch;
  client: { clientId: string; keys: PartnerKeys };
  tokenUrl: string;
}

async function partnerOf(portcullis: TestPortcullis): Promise<Partner> {
  return { portcullis, fetchTls: tlsFetch(portcullis.caPem), client: await registerKeyClient(portcullis), tokenUrl: `${portcullis.urls.browser}/token` };
}

/**
 * Closes the server a `before` hook started, even when the hook failed after starting it, or
 * failed (an error the runner pinned on it) while the start was still under way: a server left
 * open keeps this file's process, and with it the whole run, from ever ending.
 */
async function closeStarted(starting: Promise<TestPortcullis> | undefined): Promise<void> {
  const started = await starting?.catch(() => undefined);
  await started?.close();
}

async function assertion({ portcullis, client }: Partner, jti = randomUUID()) {
  return { client_assertion_type: ASSERTION_TYPE, client_assertion: await clientAssertion(client.keys, client.clientId, portcullis.config.issuer, { claims: { jti } }) };
}

describe('the token endpoint with its replay cache in Redis', () => {
  let starting: Promise<TestPortcullis> | undefined;
  let partner: Partner;
  let dpop: DpopKey;
  before(async () => {
    starting = startTestPortcullis({ REDIS_URL });
    partner = await partnerOf(await starting);
    dpop = await dpopKey();
  });
  after(() => closeStarted(starting));

  async function clientCredentials(form: Record<string, string>, proofJti = randomUUID()) {
    const nonce = await dpopNonce(partner.fetchTls, partner.tokenUrl, dpop, { grant_type: 'client_credentials', scope: 'accounts', ...(await assertion(partner)) });
    const proof = await dpopProof(dpop, 'POST', partner.tokenUrl, { nonce, jti: proofJti });
    return postForm(partner.fetchTls, partner.tokenUrl, { grant_type: 'client_credentials', scope: 'accounts', ...form }, { dpop: proof });
  }

  test('claims the assertion and the DPoP proof in Redis, and none in PostgreSQL', async () => {
    const [jti, proofJti] = [randomUUID(), randomUUID()];
    const granted = await clientCredentials(await assertion(partner, jti), proofJti);
    assert.equal(granted.status, 200, JSON.stringify(granted.body));

    // oidc-provider claims both under the client's id (`lib/shared/jwt_client_auth.js`, `lib/helpers/validate_dpop.js`).
    for (const [what, claimed] of [['assertion', replayId(partner.client.clientId, jti)], ['DPoP proof', replayId(partner.client.clientId, proofJti)]] as const) {
      const ttl = await inspector.ttl(claimed.key);
      assert.ok(ttl > CLAIM_SECONDS - 30 && ttl <= CLAIM_SECONDS, `${what} claimed for ${ttl}s`);
      assert.equal(await inReplayTable(partner.portcullis, claimed.id), false, what);
    }
  });

  test('refuses an assertion whose jti was already used', async () => {
    const jti = randomUUID();
    const first = await clientCredentials(await assertion(partner, jti));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const replay = await clientCredentials(await assertion(partner, jti));
    assert.equal(replay.status, 401);
    assert.deepEqual(replay.body, { error: 'invalid_client', error_description: 'client authentication failed' });
  });

  test('refuses a DPoP proof whose jti was already used', async () => {
    const proofJti = randomUUID();
    const first = await clientCredentials(await assertion(partner), proofJti);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const replay = await clientCredentials(await assertion(partner), proofJti);
    // The reason (replay detected) goes to the grant.error log, as oidc-provider words it at the token endpoint.
    assert.equal(replay.status, 400);
    assert.deepEqual(replay.body, { error: 'invalid_grant', error_description: 'grant request is invalid' });
  });
});

describe('the token endpoint with its Redis down', () => {
  let starting: Promise<TestPortcullis> | undefined;
  let partner: Partner;
  before(async () => {
    starting = startTestPortcullis({ REDIS_URL: `redis://127.0.0.1:${await freePort()}/5` });
    partner = await partnerOf(await starting);
  });
  after(() => closeStarted(starting));

  test('answers 503 temporarily_unavailable with Retry-After, and never grants', async () => {
    const jtis = [randomUUID(), randomUUID(), randomUUID()];
    for (const jti of jtis) {
      const answer = await postForm(partner.fetchTls, partner.tokenUrl, { grant_type: 'client_credentials', scope: 'accounts', ...(await assertion(partner, jti)) });
      assert.equal(answer.status, 503, JSON.stringify(answer.body));
      assert.deepEqual(answer.body, OUTAGE_BODY);
      assert.equal(answer.headers.get('retry-after'), String(defaults.store.retryAfter));
      assert.equal(answer.headers.get('cache-control'), 'no-store');
    }
    // Nor does it fall back to PostgreSQL's replay table.
    for (const jti of jtis) assert.equal(await inReplayTable(partner.portcullis, replayId(partner.client.clientId, jti).id), false);
  });
});
