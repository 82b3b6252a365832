/**
 * Developer sign-up over real TLS against the real app and store: the CSRF-checked form, its
 * errors, the account and its verification link through the development outbox, and the answers
 * that never tell whether an address already has an account.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { insertEmailToken } from '../../src/portal/accounts/developer.store.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
let send: typeof fetch;
before(async () => {
  portcullis = await startTestPortcullis();
  send = tlsFetch(portcullis.caPem);
});
after(() => portcullis?.close());

/** A browser of its own: its form cookie, the page's CSRF token. */
async function signUpForm(): Promise<{ cookie: string; csrf: string; html: string; headers: Headers }> {
  const response = await send(`${portcullis.urls.browser}/account/sign-up`);
  assert.equal(response.status, 200);
  const html = await response.text();
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, csrf: html.match(/name="csrf" value="([^"]+)"/)![1]!, html, headers: response.headers };
}

const post = (cookie: string, fields: Record<string, string>) => send(`${portcullis.urls.browser}/account/sign-up`, {
  method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
});

const developers = (email: string) => portcullis.db('portal_developers').whereRaw('email_key = lower(?)', [email]);
const mailTo = async (email: string) => (await portcullis.db('portal_outbox').where({ recipient: email }).orderBy('id')) as Array<{ subject: string; body: string }>;
const linkIn = (body: string) => body.match(/https:\/\/\S+\/account\/verify\?token=[A-Za-z0-9_-]+/)![0];
const address = () => `dev-${randomBytes(4).toString('hex')}@example.com`;

describe('developer sign-up', () => {
  test('the form sets a __Host- cookie and carries its CSRF token; a post without them, or with another browser\'s, is refused', async () => {
    const form = await signUpForm();
    assert.match(form.headers.get('set-cookie')!, /^__Host-portcullis-portal-form=[A-Za-z0-9_-]{43}; path=\/; samesite=strict; secure; httponly$/i);
    assert.equal(form.headers.get('cache-control'), 'no-store');
    const fields = { email: address(), name: 'Ada', password: 'correct horse battery staple' };
    for (const [cookie, csrf] of [['', form.csrf], [form.cookie, ''], [form.cookie, `${form.csrf.slice(0, -2)}AA`], [(await signUpForm()).cookie, form.csrf]] as const) {
      const refused = await post(cookie, { ...fields, csrf });
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /This form has expired/);
    }
    assert.equal((await developers(fields.email)).length, 0, 'nothing was created');
  });

  test('a form with mistakes comes back with each one beside its field, what was typed kept, the password never', async () => {
    const form = await signUpForm();
    const answer = await post(form.cookie, { csrf: form.csrf, email: 'not-an-address', name: '   ', password: 'short' });
    assert.equal(answer.status, 400);
    const html = await answer.text();
    assert.match(html, /<title>Error: Create a developer account · Portcullis Developers<\/title>/);
    assert.deepEqual([...html.matchAll(/<li><a href="#(\w+)">([^<]+)<\/a><\/li>/g)].map((match) => [match[1], match[2]]), [
      ['email', 'Enter an email address like name@example.com'], ['name', 'Enter your name'], ['password', 'Choose a password of at least 12 characters'],
    ]);
    assert.match(html, /id="email" name="email" autocomplete="email" value="not-an-address" aria-describedby="email-error" aria-invalid="true"/);
    assert.doesNotMatch(html, /short/);
    const missing = await post(form.cookie, { csrf: form.csrf });
    assert.equal(missing.status, 400, 'fields left out are mistakes too');
  });

  test('signing up creates an unverified account and mails a link that verifies it once', async () => {
    const email = address();
    const form = await signUpForm();
    const answer = await post(form.cookie, { csrf: form.csrf, email: ` ${email} `, name: 'Ada Lovelace', password: 'correct horse battery staple' });
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get('location'), '/account/check-email');
    const [developer] = await developers(email);
    assert.equal(developer.email, email);
    assert.match(developer.password_hash, /^\$argon2id\$/);
    assert.equal(developer.email_verified_at, null);
    const [mail] = await mailTo(email);
    assert.equal(mail!.subject, 'Confirm your email address for Portcullis Developers');
    const link = linkIn(mail!.body);
    assert.ok(link.startsWith(`${portcullis.config.issuer}/account/verify?token=`));

    const check = await send(`${portcullis.urls.browser}/account/check-email`);
    assert.match(await check.text(), /<a href="\/dev\/outbox">development outbox<\/a>/);
    const outbox = await (await send(`${portcullis.urls.browser}/dev/outbox`)).text();
    assert.ok(outbox.includes(`<a href="${link}">${link}</a>`), 'the outbox shows the link, clickable');

    const verified = await send(link);
    assert.equal(verified.status, 200);
    assert.match(await verified.text(), /<h1>Email address confirmed<\/h1>/);
    assert.ok((await developers(email))[0].email_verified_at instanceof Date);
    const again = await send(link);
    assert.equal(again.status, 400, 'a link works once');
    assert.match(await again.text(), /<h1>This link does not work<\/h1>/);
  });

  test('an address with an account gets the same answer; its owner gets the mail, and nothing changes', async () => {
    const email = address();
    const form = await signUpForm();
    await post(form.cookie, { csrf: form.csrf, email, name: 'First', password: 'the first long password' });
    const unverifiedAgain = await post(form.cookie, { csrf: form.csrf, email: email.toUpperCase(), name: 'Second', password: 'the second long password' });
    assert.equal(unverifiedAgain.status, 303);
    const links = (await mailTo(email)).map((mail) => linkIn(mail.body));
    assert.equal(links.length, 2, 'not verified yet: a new link, to the address as first typed');
    assert.equal((await send(links[1]!)).status, 200);

    const [before] = await developers(email);
    const verifiedAgain = await post(form.cookie, { csrf: form.csrf, email, name: 'Third', password: 'the third long password' });
    assert.equal(verifiedAgain.status, 303);
    assert.equal(verifiedAgain.headers.get('location'), '/account/check-email', 'the same answer as for a new address');
    const mails = await mailTo(email);
    assert.equal(mails.at(-1)!.subject, 'You already have a Portcullis Developers account');
    assert.deepEqual(await developers(email), [before], 'one account, its name and password as they were');
  });

  test('a token that is expired, unknown or malformed does not verify', async () => {
    const email = address();
    const form = await signUpForm();
    await post(form.cookie, { csrf: form.csrf, email, name: 'Late', password: 'a long enough password' });
    const [developer] = await developers(email);
    const token = randomBytes(32).toString('base64url');
    await insertEmailToken(portcullis.db, { token_hash: createHash('sha256').update(token).digest('base64url'), developer_id: developer.id, purpose: 'verify-email', expires_at: new Date(Date.now() - 1000) });
    for (const query of [`token=${token}`, `token=${randomBytes(32).toString('base64url')}`, 'token=short', '', 'token=a&token=b']) {
      const answer = await send(`${portcullis.urls.browser}/account/verify?${query}`);
      assert.equal(answer.status, 400, query);
    }
    assert.equal((await developers(email))[0].email_verified_at, null);
  });

  test('an address is mailed at most three times an hour, whatever the answers say', async () => {
    const email = address();
    const form = await signUpForm();
    for (let i = 0; i < 5; i += 1) {
      const answer = await post(form.cookie, { csrf: form.csrf, email, name: 'Flooded', password: 'a long enough password' });
      assert.equal(answer.status, 303, 'the same answer every time');
    }
    assert.equal((await mailTo(email)).length, 3);
  });
});

describe('developer sign-up, throttled by network', () => {
  let strict: TestPortcullis;
  before(async () => {
    strict = await startTestPortcullis({ PORTAL_SIGN_UPS_PER_HOUR: '3' });
    // The count outlives a run on PostgreSQL; other files' sign-ups may still add to it meanwhile.
    await strict.db('login_attempts').where('key', 'like', 'portal-sign-up-network:%').delete();
  });
  after(() => strict?.close());

  test('past the limit a network is told when to come back (429, Retry-After), and nothing is created or mailed', async () => {
    const strictSend = tlsFetch(strict.caPem);
    const page = await strictSend(`${strict.urls.browser}/account/sign-up`);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)![1]!;
    let refused: Response | undefined;
    let email = '';
    for (let attempt = 1; attempt <= 4 && !refused; attempt += 1) {
      email = address();
      const answer = await strictSend(`${strict.urls.browser}/account/sign-up`, {
        method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, email, name: 'Busy', password: 'a long enough password' }).toString(),
      });
      if (answer.status === 429) refused = answer;
      else assert.equal(answer.status, 303);
    }
    assert.ok(refused, 'the fourth sign-up within the hour at the latest is refused');
    const wait = Number(refused.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 3600, `Retry-After ${wait}`);
    assert.match(await refused.text(), /Too many requests have come from your network\. Try again in \d+ minutes\./);
    assert.equal((await strict.db('portal_developers').where({ email_key: email })).length, 0);
    assert.equal((await strict.db('portal_outbox').where({ recipient: email })).length, 0);
  });
});
