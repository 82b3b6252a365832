import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as oc from 'openid-client';

import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { openStore } from '../../src/db/knex.ts';
import { createApplication, createOrganisation, issueApiKey } from '../../src/gateway/consumers/consumers.service.ts';
import type { LimitPeriod } from '../../src/gateway/limits/limit-window.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { accountAccessBody } from '../../test/consent/consent-bodies.ts';
import { addTestApi, addTestPlan, subscribeTestApplication } from '../../test/helpers/gateway-catalogue.ts';
import { obPartner } from '../../test/helpers/ob-partner.ts';
import { startTestPortcullis, testEnvironment } from '../../test/helpers/portcullis.ts';

/*
 * What the gateway sides need before the load starts, made through the product itself (an
 * instance in this process, closed again before the measured gateway starts in its own):
 * - (d) an `api-key` API with a plan (a rate limit and a quota the run never reaches: every call
 *   still spends from both) and an application's key;
 * - (e) the Open Banking accounts API (`fapi`: every call audited unless `fapiAudit` is off), with a per-route rate limit;
 *   a partner registered for certificate-bound tokens; an account-access consent the sandbox
 *   customer authorises through the real login and consent pages; its refresh token, from which
 *   each run takes fresh access tokens at the measured gateway.
 */

export const SAAS_PATH = '/bench-saas/v1/accounts';
export const OB_PATH = '/open-banking/v3.1/aisp/accounts';
export const CUSTOMER_ACCOUNTS = ['acc-0001-current', 'acc-0001-savings'];
// Limits the run spends from on every call but never reaches.
const UNREACHED = 1_000_000_000;
/** The windows (d)'s plan counts every call in: its rate per second and its quota per day. Side (b') counts in the same. */
export const SAAS_PLAN_PERIODS: readonly LimitPeriod[] = ['second', 'day'];

export interface GatewaySetup {
  /** The environment `src/main.ts` runs with (add WORKERS). */
  env: Record<string, string>;
  certsDir: string;
  urls: { public: string; partner: string; admin: string };
  apiKey: string;
  /** A fresh certificate-bound access token for the consent, from the running gateway's token endpoint. */
  accessToken(): Promise<string>;
  /** Removes the work folder (the store's schema is the caller's). */
  remove(): void;
}

export async function setUpGateway(databaseUrl: string, upstreamUrl: string, redisUrl: string | undefined, fapiAudit: 'on' | 'off' = 'on'): Promise<GatewaySetup> {
  const workDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-gateway-'));
  // Idle connections kept 120 s, as the pass-through and nginx keep theirs: a side waits up to 10 s
  // while the others take their turns, and must find its connections open (the issue's
  // keep-alive). With the product's default 5 s, the load generator's undici dropped them after 3 s
  // (the `Keep-Alive: timeout=5` hint less its 2 s margin) and such a slice began with 32 handshakes.
  const env: Record<string, string> = { ...(await testEnvironment(workDir)), LOG_LEVEL: 'info', DATABASE_URL: databaseUrl, KEEP_ALIVE_TIMEOUT: '120', ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
  const app = await startTestPortcullis({ ...env, LOG_LEVEL: 'warn' }, { store: openStore({ databaseUrl }) });
  try {
    const context = { db: app.db, events: app.events, clock: systemClock };
    const upstreams = [{ url: upstreamUrl, weight: 1 }];
    const { id: saasApi } = await addTestApi(app.db, app.events, { name: 'bench-saas', basePath: '/bench-saas/v1', authKind: 'api-key', upstreams, routes: [{ method: 'GET', path: '/accounts' }] });
    const plan = await addTestPlan(app.db, app.events, { apiIds: [saasApi], ratePerSecond: UNREACHED, quotaPerDay: UNREACHED });
    const organisation = await createOrganisation(context, { name: 'Bench Co' });
    const application = await createApplication(context, { organisationId: organisation.id, name: 'bench load' });
    await subscribeTestApplication(app.db, app.events, application.id, plan);
    const { key: apiKey } = await issueApiKey(context, application.id);

    await addTestApi(app.db, app.events, {
      name: 'bench-ob-aisp', basePath: '/open-banking/v3.1/aisp', authKind: 'fapi', upstreams,
      routes: [{ method: 'GET', path: '/accounts', policy: { scopes: ['accounts'], limits: { perSecond: UNREACHED }, audit: fapiAudit } }],
    });
    const partner = await obPartner(app);
    const refreshToken = await authoriseAccounts(partner);
    return {
      env,
      certsDir: env.CERTS_DIR!,
      urls: { public: `https://localhost:${env.GATEWAY_PORT}`, partner: `https://localhost:${env.MTLS_PORT}`, admin: `https://localhost:${env.ADMIN_PORT}` },
      apiKey,
      async accessToken() {
        return (await oc.refreshTokenGrant(partner.config, refreshToken)).access_token;
      },
      remove: () => rmSync(workDir, { recursive: true, force: true }),
    };
  } finally {
    await app.close();
  }
}

/** The partner's consent for the customer's accounts, authorised on the real pages; returns the refresh token. */
async function authoriseAccounts(partner: Awaited<ReturnType<typeof obPartner>>): Promise<string> {
  const created = await partner.call('POST', CONSENT_KINDS['account-access'].path, { body: accountAccessBody(), token: await partner.token('accounts') });
  if (created.status !== 201) throw new Error(`consent not created: ${created.status} ${created.text}`);
  const consentId = created.json.Data.ConsentId as string;
  const choices = Object.fromEntries(CUSTOMER_ACCOUNTS.map((accountId) => [`account:${accountId}`, 'yes']));
  const tokens = await partner.authorise(consentId, 'accounts', { choices });
  if (!tokens.refresh_token) throw new Error('the authorization gave no refresh token');
  return tokens.refresh_token;
}
