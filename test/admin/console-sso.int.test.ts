/**
 * Operators' single sign-on against a stock oidc-provider that this test starts (one client, dev
 * interactions, an account finder with an email and groups): an operator signs in with no TOTP
 * step; someone unknown is refused unless the groups map to a role, then added with it, and a
 * changed group changes the role; a disabled operator is refused; the provider's `access_denied`,
 * a state or nonce that does not match, and a provider that is down are clear pages; every sign-in
 * and refusal is an audited event. The client also authenticates with private_key_jwt.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

import { createSsoClient } from '../../src/admin/operators/operator-sso-client.ts';
import { signInWithSso } from '../../src/admin/operators/operator-sso.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { insertOperator, newOperatorAddress } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/free-port.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

const CLIENT_ID = 'portcullis-console';
const CLIENT_SECRET = randomBytes(32).toString('base64url');

let portcullis: TestPortcullis;
let issuer: string;
let providerServer: Server | undefined;
/** A second client of the provider's, authenticating with private_key_jwt: its key pair. */
const jwtClientKeys = generateKeyPair('ES256', { extractable: true });
/** The provider's people, by the login typed at its dev sign-in form (their `sub`). */
const people = new Map<string, { email: string; email_verified: boolean; name: string; groups: string[] }>();

before(async () => {
  issuer = `http://127.0.0.1:${await freePort()}`;
  portcullis = await startTestPortcullis({
    CONSOLE_OIDC_ISSUER: issuer, CONSOLE_OIDC_CLIENT_ID: CLIENT_ID, CONSOLE_OIDC_CLIENT_SECRET: CLIENT_SECRET, CONSOLE_OIDC_NAME: 'Bank Login',
    CONSOLE_OIDC_ROLE_CLAIM: 'groups', CONSOLE_OIDC_ROLE_MAP: 'pc-viewers=viewer,pc-operators=operator,pc-admins=admin',
  });
});
after(async () => {
  await portcullis?.close();
  providerServer?.closeAllConnections();
  await new Promise((resolve) => (providerServer ? providerServer.close(resolve) : resolve(undefined)));
});

/** A plain oidc-provider with one client, at `issuer`. */
async function startProvider(): Promise<void> {
  // One EC key: the provider's quick-start keys (RSA among them) take seconds to generate.
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test', alg: 'ES256', use: 'sig' }] },
    clients: [{
      client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${portcullis.config.issuer}/console/sign-in/oidc/callback`],
      grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'ES256',
    }, {
      client_id: `${CLIENT_ID}-jwt`, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...(await exportJWK((await jwtClientKeys).publicKey)), alg: 'ES256' }] },
      redirect_uris: [`${portcullis.config.issuer}/console/sign-in/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'ES256',
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: (_ctx, id) => {
      const person = people.get(id);
      return person && { accountId: id, claims: () => ({ sub: id, ...person }) };
    },
  });
  providerServer = createServer(provider.callback());
  await new Promise<void>((resolve) => providerServer!.listen(Number(new URL(issuer).port), '127.0.0.1', resolve));
}

/** A browser without a screen across the console and the provider: a cookie jar per origin, redirects followed by hand. */
class Browser {
  readonly jars = new Map<string, Map<string, string>>();
  private readonly send = tlsFetch(portcullis.caPem);

  jar(url: string): Map<string, string> {
    const origin = new URL(url).origin;
    if (!this.jars.has(origin)) this.jars.set(origin, new Map());
    return this.jars.get(origin)!;
  }

  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const jar = this.jar(url);
    const headers: Record<string, string> = jar.size ? { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') } : {};
    const response = await this.send(url, form
      ? { method: 'POST', redirect: 'manual', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() }
      : { redirect: 'manual', headers });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    return response;
  }

  /**
   * Starts single sign-on (or opens the provider's authorization URL `start`) and signs in at the
   * provider as `login`: the callback URL the provider sends back to (not yet opened).
   */
  async throughProvider(login: string, start?: string): Promise<string> {
    let response: Response;
    let url = start ?? '';
    if (!start) {
      response = await this.request(`${portcullis.urls.browser}/console/sign-in/oidc`);
      assert.equal(response.status, 303, `starting answered ${response.status}`);
      url = response.headers.get('location')!;
    }
    for (let hops = 0; hops < 12; hops++) {
      if (url.startsWith(`${portcullis.config.issuer}/console/sign-in/oidc/callback`)) return url;
      response = await this.request(url);
      if (response.status === 200) {
        // The provider's dev interactions: the login form, then the consent form.
        const html = await response.text();
        const action = new URL(html.match(/action="([^"]+)"/)![1]!, url).href;
        const prompt = html.match(/name="prompt" value="(\w+)"/)![1]!;
        response = await this.request(action, prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt });
      }
      assert.ok(response.status >= 300 && response.status < 400, `${url} answered ${response.status}`);
      url = new URL(response.headers.get('location')!, url).href;
    }
    throw new Error('the provider never sent the browser back');
  }

  /** Signs in as `login` all the way: the callback's answer. */
  async signIn(login: string): Promise<Response> {
    return this.request(await this.throughProvider(login));
  }
}

function person(groups: string[], email = newOperatorAddress()) {
  const login = `p-${randomBytes(4).toString('hex')}`;
  people.set(login, { email, email_verified: true, name: 'Katherine Johnson', groups });
  return { login, email };
}

const failures = (reason: string) => portcullis.db('audit_log').where({ kind: 'event', action: 'operator.sign_in_failed' }).whereRaw("payload->>'step' = 'sso' and payload->>'reason' = ?", [reason]);

test('a provider that cannot be reached is a 503 page with Retry-After, then sign-in works once it is back', async () => {
  const response = await new Browser().request(`${portcullis.urls.browser}/console/sign-in/oidc`);
  assert.equal(response.status, 503);
  assert.equal(response.headers.get('retry-after'), '30');
  assert.match(await response.text(), /Your organisation&#39;s sign-in cannot be reached just now/);
  await eventually(async () => (await failures('unreachable')).length > 0, { withinMs: 5_000, what: 'the refusal audited' });

  await startProvider();
  const page = await (await new Browser().request(`${portcullis.urls.browser}/console/sign-in`)).text();
  assert.match(page, /<a class="console-sso-button" href="\/console\/sign-in\/oidc">Sign in with Bank Login<\/a>/);
});

test('an existing operator signs in by verified address with no TOTP step; their sub is bound, the sign-in audited', async () => {
  const operator = await insertOperator(portcullis.db, portcullis.secrets, { role: 'operator' });
  const { login } = person(['staff', 'pc-operators'], operator.email.toUpperCase());
  const browser = new Browser();
  const done = await browser.signIn(login);
  assert.equal(done.status, 200);
  assert.equal(done.headers.get('refresh'), '0;url=/console');
  assert.match(await done.text(), /<a href="\/console">Continue to the console<\/a>/);
  const home = await browser.request(`${portcullis.urls.browser}/console`);
  assert.equal(home.status, 200, 'a full session: no code asked for');
  assert.equal((await portcullis.db('operators').where({ id: operator.id }).first()).oidc_subject, login);

  const signedIn = () => portcullis.db('audit_log').where({ kind: 'event', action: 'operator.signed_in', actor: `operator:${operator.id}` });
  await eventually(async () => (await signedIn()).length === 1, { withinMs: 5_000, what: 'the sign-in audited' });
  assert.equal((await signedIn())[0].payload.method, 'sso');

  // Found by the bound sub from now on, whatever address the provider gives.
  people.get(login)!.email = newOperatorAddress();
  assert.equal((await new Browser().signIn(login)).status, 200);
});

test('someone unknown whose groups map to a role is added with it; a changed group changes the role; unmapped groups are refused', async () => {
  const { login, email } = person(['pc-admins']);
  assert.equal((await new Browser().signIn(login)).status, 200);
  const added = await portcullis.db('operators').where({ email_key: email.toLowerCase() }).first();
  assert.deepEqual([added.role, added.oidc_subject, added.password_hash, added.name], ['admin', login, null, 'Katherine Johnson']);

  people.get(login)!.groups = ['pc-viewers'];
  const browser = new Browser();
  assert.equal((await browser.signIn(login)).status, 200);
  assert.equal((await portcullis.db('operators').where({ id: added.id }).first()).role, 'viewer');
  assert.equal((await browser.request(`${portcullis.urls.browser}/console/operators`)).status, 403, 'a viewer now');
  people.get(login)!.groups = ['pc-admins'];
  const again = new Browser();
  assert.equal((await again.signIn(login)).status, 200);
  const operators = await (await again.request(`${portcullis.urls.browser}/console/operators`)).text();
  assert.match(operators, new RegExp(`<td>${email}</td>\\s*<td>Admin</td>\\s*<td>Not needed <span class="detail">\\(single sign-on\\)</span></td>`));

  people.get(login)!.groups = ['staff'];
  const noRole = await new Browser().signIn(login);
  assert.equal(noRole.status, 403);
  assert.match(await noRole.text(), /gives you no role in the console/);

  const stranger = person(['staff']);
  const refused = await new Browser().signIn(stranger.login);
  assert.equal(refused.status, 403);
  assert.equal(await portcullis.db('operators').where({ email_key: stranger.email.toLowerCase() }).first(), undefined);
  await eventually(async () => (await failures('no-role')).length >= 2, { withinMs: 5_000, what: 'the refusals audited' });
});

test('without role mapping someone unknown is refused; a disabled operator is refused', async () => {
  const deps = { db: portcullis.db, events: portcullis.events, clock: systemClock, roles: undefined };
  const identity = { subject: `s-${randomBytes(4).toString('hex')}`, email: newOperatorAddress(), emailVerified: true, name: undefined, acr: undefined, amr: undefined, claims: { groups: ['pc-admins'] } };
  assert.deepEqual(await signInWithSso(deps, identity), { refused: 'unknown', message: 'There is no console account for you. Ask an admin to add you with the address your organisation\'s sign-in gives.' });
  assert.equal(await portcullis.db('operators').where({ email_key: identity.email.toLowerCase() }).first(), undefined);

  const disabled = await insertOperator(portcullis.db, portcullis.secrets, { role: 'admin' });
  await portcullis.db('operators').where({ id: disabled.id }).update({ disabled_at: new Date() });
  const { login } = person(['pc-admins'], disabled.email);
  const response = await new Browser().signIn(login);
  assert.equal(response.status, 403);
  assert.match(await response.text(), /Your console account has been disabled/);
});

test('access_denied, a state or nonce that does not match, and a callback no sign-in started are clear pages', async () => {
  const { login } = person(['pc-operators']);
  const browser = new Browser();
  const started = await browser.request(`${portcullis.urls.browser}/console/sign-in/oidc`);
  const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
  const denied = await browser.request(`${portcullis.config.issuer}/console/sign-in/oidc/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(issuer)}`);
  assert.equal(denied.status, 403);
  assert.match(await denied.text(), /did not let you in \(access denied\)/);

  const tampered = new Browser();
  const callback = new URL(await tampered.throughProvider(login));
  callback.searchParams.set('state', 'not-the-state');
  const badState = await tampered.request(callback.href);
  assert.equal(badState.status, 400);
  assert.match(await badState.text(), /This sign-in was not started in this browser/);

  const noCookie = await new Browser().request(`${portcullis.config.issuer}/console/sign-in/oidc/callback?code=x&state=y`);
  assert.equal(noCookie.status, 400);

  const wrongNonce = new Browser();
  const answer = await wrongNonce.throughProvider(login);
  const jar = wrongNonce.jar(portcullis.config.issuer);
  const cookie = '__Host-portcullis-console-sso';
  jar.set(cookie, Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(jar.get(cookie)!, 'base64url').toString()), nonce: 'another-nonce' })).toString('base64url'));
  const badNonce = await wrongNonce.request(answer);
  assert.equal(badNonce.status, 400);
  assert.match(await badNonce.text(), /answered in a way the console cannot trust/);
  assert.equal((await wrongNonce.request(`${portcullis.urls.browser}/console`)).status, 303, 'not signed in');
  await eventually(async () => (await failures('provider-refused')).length > 0 && (await failures('invalid-response')).length >= 3, { withinMs: 5_000, what: 'the refusals audited' });
});

test('the client authenticates with private_key_jwt where a key file is configured', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'portcullis-sso-'));
  try {
    const keyFile = join(folder, 'client.key');
    writeFileSync(keyFile, await exportPKCS8((await jwtClientKeys).privateKey));
    const client = createSsoClient({ issuer, clientId: `${CLIENT_ID}-jwt`, clientAuth: { keyFile }, name: 'Bank Login', scope: 'openid email profile', roles: undefined }, `${portcullis.config.issuer}/console/sign-in/oidc/callback`);
    const { login, email } = person(['pc-viewers']);
    const { url, transaction } = await client.start('/console/audit');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    const callback = await new Browser().throughProvider(login, url.href);
    const identity = await client.finish(new URL(callback), transaction);
    assert.deepEqual([identity.subject, identity.email, identity.emailVerified, identity.claims['groups']], [login, email, true, ['pc-viewers']]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
