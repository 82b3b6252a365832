/**
 * Developers' sessions over real TLS against the real app and store: signing in and out, where a
 * sign-in may lead, the throttle, and a forgotten password reset by a mailed link that ends every
 * other session.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { sweepExpired } from '../../src/auth/adapter/sweep-expired.ts';
import { PORTAL_SESSIONS } from '../../src/portal/session/portal-sessions.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { resumeSession, startSession } from '../../src/shared/sessions/sessions.service.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { insertVerifiedDeveloper, newDeveloperAddress, PortalBrowser, signedInBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { assertSessionLifetimes, FROZEN_AT } from '../helpers/session-lifetimes.ts';

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

const browser = () => new PortalBrowser(portcullis.caPem, portcullis.urls.browser);
const SESSION = '__Host-portcullis-portal-session';
const mailTo = async (email: string) => (await portcullis.db('portal_outbox').where({ recipient: email }).orderBy('id')) as Array<{ subject: string; body: string }>;

const signedIn = (developer: { email: string; password: string }) => signedInBrowser(portcullis.caPem, portcullis.urls.browser, developer);

describe('developer sign-in', () => {
  test('a right password starts a session in a __Host- cookie and leads to the page asked for', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db, { name: 'Grace <Hopper>' });
    const visitor = browser();
    const account = await visitor.get('/account');
    assert.equal(account.status, 303);
    assert.equal(account.headers.get('location'), '/account/sign-in?next=%2Faccount');
    const answer = await visitor.submit('/account/sign-in?next=%2Faccount', '/account/sign-in', { email: developer.email.toUpperCase(), password: developer.password, next: '/account' });
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get('location'), '/account');
    const cookie = answer.headers.getSetCookie().find((line) => line.startsWith(SESSION))!;
    assert.match(cookie, /^__Host-portcullis-portal-session=[A-Za-z0-9_-]{43}; path=\/; expires=[^;]+; samesite=strict; secure; httponly$/i);
    const page = await visitor.get('/account');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<dd>Grace &lt;Hopper&gt;<\/dd>/);
    assert.match(html, /<a href="\/account" aria-current="page">Your account<\/a>/);
    assert.equal((await portcullis.db('portal_sessions').where({ developer_id: developer.id })).length, 1);
    const signInAgain = await visitor.get('/account/sign-in?next=%2Fapis');
    assert.equal(signInAgain.headers.get('location'), '/apis', 'signed in already: straight on');
  });

  test('a wrong password and an unknown address get the same answer, 401, with what was typed kept (the password never)', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    const answers = [];
    for (const [email, password] of [[developer.email, 'not the password at all'], [newDeveloperAddress(), developer.password]] as const) {
      const answer = await browser().submit('/account/sign-in', '/account/sign-in', { email, password });
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.getSetCookie().some((line) => line.startsWith(SESSION)), false);
      const html = await answer.text();
      assert.ok(html.includes(`value="${email}"`));
      assert.doesNotMatch(html, new RegExp(password));
      answers.push(html.match(/<div class="portal-error-summary"[^>]*><h2>There is a problem<\/h2><p>([^<]+)<\/p>/)![1]);
    }
    assert.equal(answers[0], 'The email address or password is not right. Check them and try again.');
    assert.equal(answers[0], answers[1]);
  });

  test('empty fields are mistakes beside their fields (400); a form without its CSRF token is refused (403)', async () => {
    const empty = await browser().submit('/account/sign-in', '/account/sign-in', { email: ' ', password: '' });
    assert.equal(empty.status, 400);
    assert.deepEqual([...(await empty.text()).matchAll(/<li><a href="#(\w+)">([^<]+)<\/a><\/li>/g)].map((match) => match[1]), ['email', 'password']);
    const developer = await insertVerifiedDeveloper(portcullis.db);
    const forged = await browser().post('/account/sign-in', { email: developer.email, password: developer.password });
    assert.equal(forged.status, 403);
  });

  test('an address not yet confirmed is told so only after its right password, and mailed a new link', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    await portcullis.db('portal_developers').where({ id: developer.id }).update({ email_verified_at: null });
    const wrong = await browser().submit('/account/sign-in', '/account/sign-in', { email: developer.email, password: 'not the password at all' });
    assert.equal(wrong.status, 401);
    assert.equal((await mailTo(developer.email)).length, 0);
    const right = await browser().submit('/account/sign-in', '/account/sign-in', { email: developer.email, password: developer.password });
    assert.equal(right.status, 403);
    assert.match(await right.text(), /Confirm your email address first/);
    assert.equal((await mailTo(developer.email))[0]!.subject, 'Confirm your email address for Portcullis Developers');
    assert.equal((await portcullis.db('portal_sessions').where({ developer_id: developer.id })).length, 0);
  });

  test('a sign-in leads only to a page of the portal, never another site', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    for (const next of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/apis\n', '']) {
      const answer = await browser().submit('/account/sign-in', '/account/sign-in', { email: developer.email, password: developer.password, next });
      assert.equal(answer.headers.get('location'), '/account', JSON.stringify(next));
    }
  });

  test('signing out ends the session in the store: the old cookie, sent again, is signed out', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    const visitor = await signedIn(developer);
    const stolen = visitor.cookies.get(SESSION)!;
    const out = await visitor.submit('/account', '/account/sign-out', {});
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/account/sign-in?signed-out');
    assert.equal(visitor.cookies.has(SESSION), false, 'the cookie is dropped');
    assert.match(await (await visitor.get('/account/sign-in?signed-out')).text(), /You have signed out\./);
    const replay = browser();
    replay.cookies.set(SESSION, stolen);
    assert.equal((await replay.get('/account')).status, 303);
  });

  test('five wrong passwords block the address\'s sign-in: 429 with Retry-After, even for the right password', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    for (let i = 0; i < 5; i += 1) assert.equal((await browser().submit('/account/sign-in', '/account/sign-in', { email: developer.email, password: `wrong password ${i}` })).status, 401);
    const blocked = await browser().submit('/account/sign-in', '/account/sign-in', { email: developer.email, password: developer.password });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    assert.match(await blocked.text(), /Too many sign-in attempts/);
  });
});

describe('sessions in time', () => {
  test('a session ends after two idle hours, and after twelve however busy', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    await assertSessionLifetimes(portcullis.db, PORTAL_SESSIONS, developer.id, FROZEN_AT, { idleSeconds: 2 * 3600, absoluteSeconds: 12 * 3600 });
  });

  test("a sign-in sweeps its own holder's ended sessions, never another's; the background sweep takes every ended one", async () => {
    const [mine, theirs] = [await insertVerifiedDeveloper(portcullis.db), await insertVerifiedDeveloper(portcullis.db)];
    const ended = (developerId: string) => ({ token_hash: `ended-${randomUUID()}`, developer_id: developerId, created_at: new Date(Date.now() - 3 * 3600_000), expires_at: new Date(Date.now() - 3600_000) });
    const liveOfTheirs = await startSession({ db: portcullis.db, clock: systemClock }, PORTAL_SESSIONS, theirs.id);
    const [myEnded, theirEnded] = [ended(mine.id), ended(theirs.id)];
    await portcullis.db('portal_sessions').insert([myEnded, theirEnded]);
    // A frozen clock far ahead: everything would have ended by then, yet only this holder's is swept.
    await startSession({ db: portcullis.db, clock: fixedClock(FROZEN_AT) }, PORTAL_SESSIONS, mine.id);
    const left = async () => portcullis.db('portal_sessions').pluck('token_hash').whereIn('token_hash', [myEnded.token_hash, theirEnded.token_hash]);
    assert.deepEqual(await left(), [theirEnded.token_hash]);
    assert.ok(await resumeSession({ db: portcullis.db, clock: systemClock }, PORTAL_SESSIONS, liveOfTheirs.token), "another's live session stays");

    await sweepExpired(portcullis.db, 100);
    assert.deepEqual(await left(), []);
    assert.ok(await resumeSession({ db: portcullis.db, clock: systemClock }, PORTAL_SESSIONS, liveOfTheirs.token), 'a live session is never swept');
  });
});

describe('forgotten password', () => {
  const resetLinkIn = (body: string) => body.match(/https:\/\/\S+(\/account\/reset-password\?token=[A-Za-z0-9_-]+)/)![1]!;

  test('the answer is the same for an address with an account and one without; only the owner is mailed', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    const stranger = newDeveloperAddress();
    for (const email of [developer.email, stranger]) {
      const answer = await browser().submit('/account/forgot-password', '/account/forgot-password', { email });
      assert.equal(answer.status, 303);
      assert.equal(answer.headers.get('location'), '/account/check-email?reset');
    }
    assert.equal((await mailTo(developer.email))[0]!.subject, 'Reset your Portcullis Developers password');
    assert.equal((await mailTo(stranger)).length, 0);
    const bad = await browser().submit('/account/forgot-password', '/account/forgot-password', { email: 'nope' });
    assert.equal(bad.status, 400);
  });

  test('the mailed link sets a new password once, signs the developer out everywhere, and the old password stops working', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    const elsewhere = await signedIn(developer);
    await browser().submit('/account/forgot-password', '/account/forgot-password', { email: developer.email });
    const link = resetLinkIn((await mailTo(developer.email))[0]!.body);

    const visitor = browser();
    const page = await visitor.get(link);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    const token = new URL(link, 'https://x').searchParams.get('token')!;
    const short = await visitor.submit(link, '/account/reset-password', { token, password: 'short' });
    assert.equal(short.status, 400);
    assert.match(await short.text(), /Choose a password of at least 12 characters/);

    const done = await visitor.submit(link, '/account/reset-password', { token, password: 'a brand new long password' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/account/sign-in?reset');
    assert.equal((await elsewhere.get('/account')).status, 303, 'the other session is over');
    const again = await visitor.get(link);
    assert.equal(again.status, 400);
    assert.match(await again.text(), /This link does not work/);

    assert.equal((await browser().submit('/account/sign-in', '/account/sign-in', { email: developer.email, password: developer.password })).status, 401);
    assert.equal((await signedIn({ email: developer.email, password: 'a brand new long password' })).cookies.has(SESSION), true);
  });

  test('a reset link that is unknown, malformed or missing shows why it does not work (400), and changes nothing', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    const [before] = await portcullis.db('portal_developers').where({ id: developer.id });
    for (const query of ['token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'token=short', '']) {
      const answer = await browser().get(`/account/reset-password?${query}`);
      assert.equal(answer.status, 400, query);
    }
    const posted = await browser().submit('/account/forgot-password', '/account/reset-password', { token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', password: 'a brand new long password' });
    assert.equal(posted.status, 400);
    assert.deepEqual((await portcullis.db('portal_developers').where({ id: developer.id }))[0], before);
  });
});
