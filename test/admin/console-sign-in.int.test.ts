/**
 * Operators signing in to the console over real TLS against the real app and store: the password
 * step (same words for a wrong address or password, the throttle, CSRF), the code step (wrong,
 * replayed), the first sign-in's enrolment, sessions in time, signing out, and the audit entries.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { OPERATOR_SESSIONS } from '../../src/admin/operators/operator-sessions.ts';
import { resumeSession, startSession } from '../../src/shared/sessions/sessions.service.ts';
import { insertOperator, newOperatorAddress, signedInConsole, totpCode } from '../helpers/console-browser.ts';
import { pollUntil } from '../helpers/eventually.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { PortalBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { assertSessionLifetimes, FROZEN_AT } from '../helpers/session-lifetimes.ts';

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

const SESSION = '__Host-portcullis-console-session';
const browser = () => new PortalBrowser(portcullis.caPem, portcullis.urls.browser);
const operatorWith = (fields: Parameters<typeof insertOperator>[2] = {}) => insertOperator(portcullis.db, portcullis.secrets, fields);
const summaryIn = (html: string) => html.match(/<div class="portal-error-summary"[^>]*><h2>There is a problem<\/h2><p>([^<]+)<\/p>/)?.[1];
const fieldErrorIn = (html: string) => html.match(/<p class="error" id="code-error">([^<]+)<\/p>/)?.[1];
const auditOf = (operatorId: string) => portcullis.db('audit_log').whereRaw("payload->>'operatorId' = ?", [operatorId]).orderBy('seq').select('action', 'actor', 'payload');
/** The operator's audit entries, once there are `count` (the audit log writes in batches). */
const audited = async (operatorId: string, count: number) => (await pollUntil(() => auditOf(operatorId), (rows) => rows.length >= count, { withinMs: 5000, what: `${count} audit entries` })).value;

describe('the password step', () => {
  test('a signed-out visitor is sent to sign in, and back to the page after both steps', async () => {
    const operator = await operatorWith();
    const visitor = browser();
    const home = await visitor.get('/console');
    assert.equal(home.status, 303);
    assert.equal(home.headers.get('location'), '/console/sign-in?next=%2Fconsole');
    const password = await visitor.submit('/console/sign-in', '/console/sign-in', { email: operator.email.toUpperCase(), password: operator.password, next: '/console/operators' });
    assert.equal(password.status, 303);
    assert.equal(password.headers.get('location'), '/console/sign-in/code?next=%2Fconsole%2Foperators');
    const cookie = password.headers.getSetCookie().find((line) => line.startsWith(SESSION))!;
    assert.match(cookie, /^__Host-portcullis-console-session=[A-Za-z0-9_-]{43}; path=\/; expires=[^;]+; samesite=strict; secure; httponly$/i);
    assert.equal((await visitor.get('/console')).headers.get('location'), '/console/sign-in/code', 'the password alone opens no console page');
    const code = await visitor.submit('/console/sign-in/code?next=%2Fconsole%2Foperators', '/console/sign-in/code', { code: totpCode(operator.totpSecret!), next: '/console/operators' });
    assert.equal(code.status, 303);
    assert.equal(code.headers.get('location'), '/console/operators');
    assert.notEqual(visitor.cookies.get(SESSION), cookie.split(';')[0]!.split('=')[1], 'a new session token after the second factor');
    const page = await visitor.get('/console');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Signed in as <strong>Margaret Hamilton<\/strong>/);
  });

  test('a wrong password, an unknown address and a disabled operator get the same answer, 401, with no session', async () => {
    const operator = await operatorWith();
    const disabled = await operatorWith();
    await portcullis.db('operators').where({ id: disabled.id }).update({ disabled_at: new Date() });
    const answers = [];
    for (const [email, password] of [[operator.email, 'not the password at all'], [newOperatorAddress(), operator.password], [disabled.email, disabled.password]] as const) {
      const answer = await browser().submit('/console/sign-in', '/console/sign-in', { email, password });
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.getSetCookie().some((line) => line.startsWith(SESSION)), false);
      const html = await answer.text();
      assert.ok(html.includes(`value="${email}"`));
      assert.doesNotMatch(html, new RegExp(password));
      answers.push(summaryIn(html));
    }
    assert.equal(answers[0], 'The email address or password is not right. Check them and try again.');
    assert.deepEqual(new Set(answers).size, 1);
  });

  test('five wrong passwords block the address: 429 with Retry-After, even for the right password', async () => {
    const operator = await operatorWith();
    for (let i = 0; i < 5; i += 1) assert.equal((await browser().submit('/console/sign-in', '/console/sign-in', { email: operator.email, password: `wrong password ${i}` })).status, 401);
    const blocked = await browser().submit('/console/sign-in', '/console/sign-in', { email: operator.email, password: operator.password });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    assert.match(await blocked.text(), /Too many sign-in attempts/);
  });

  test('empty fields are mistakes beside their fields (400); a form without its CSRF token is refused (403)', async () => {
    const empty = await browser().submit('/console/sign-in', '/console/sign-in', { email: ' ', password: '' });
    assert.equal(empty.status, 400);
    assert.deepEqual([...(await empty.text()).matchAll(/<li><a href="#(\w+)">([^<]+)<\/a><\/li>/g)].map((match) => match[1]), ['email', 'password']);
    const operator = await operatorWith();
    const forged = await browser().post('/console/sign-in', { email: operator.email, password: operator.password });
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /This form has expired/);
  });

  test('a sign-in leads only to a console page, never another site', async () => {
    for (const next of ['//evil.example/', '/console//evil.example', 'https://evil.example/', '/apis', '/consolex', '/console\\evil']) {
      const operator = await operatorWith();
      const visitor = browser();
      await visitor.submit('/console/sign-in', '/console/sign-in', { email: operator.email, password: operator.password, next });
      const code = await visitor.submit('/console/sign-in/code', '/console/sign-in/code', { code: totpCode(operator.totpSecret!), next });
      assert.equal(code.headers.get('location'), '/console', JSON.stringify(next));
    }
  });
});

describe('the code step', () => {
  test('a wrong code is refused (401) beside the field, and audited without the code', async () => {
    const operator = await operatorWith();
    const visitor = browser();
    await visitor.submit('/console/sign-in', '/console/sign-in', { email: operator.email, password: operator.password });
    const right = totpCode(operator.totpSecret!);
    const wrong = right === '000000' ? '111111' : '000000';
    const answer = await visitor.submit('/console/sign-in/code', '/console/sign-in/code', { code: wrong });
    assert.equal(answer.status, 401);
    assert.equal(fieldErrorIn(await answer.text()), 'That code is not right. Enter the 6-digit code your authenticator app shows now.');
    const malformed = await visitor.submit('/console/sign-in/code', '/console/sign-in/code', { code: '12ab' });
    assert.equal(malformed.status, 400);
    assert.equal((await visitor.get('/console')).headers.get('location'), '/console/sign-in/code', 'still not signed in');
    const entries = await audited(operator.id, 1);
    assert.deepEqual(entries.map((row) => [row.action, row.payload.step, row.payload.reason]), [['operator.sign_in_failed', 'code', 'wrong']]);
    assert.doesNotMatch(JSON.stringify(entries), new RegExp(`${wrong}|${operator.password}`));
  });

  test('a code is accepted once: the same code again, in another sign-in, is refused', async () => {
    const operator = await operatorWith();
    const code = totpCode(operator.totpSecret!);
    const first = browser();
    await first.submit('/console/sign-in', '/console/sign-in', { email: operator.email, password: operator.password });
    assert.equal((await first.submit('/console/sign-in/code', '/console/sign-in/code', { code })).status, 303);
    const second = browser();
    await second.submit('/console/sign-in', '/console/sign-in', { email: operator.email, password: operator.password });
    const replayed = await second.submit('/console/sign-in/code', '/console/sign-in/code', { code });
    assert.equal(replayed.status, 401);
    assert.equal(fieldErrorIn(await replayed.text()), 'That code has been used already. Wait for your authenticator app to show a new one, then enter it.');
    assert.equal((await second.submit('/console/sign-in/code', '/console/sign-in/code', { code: totpCode(operator.totpSecret!, 1) })).status, 303, 'the next step\'s code is good');
  });

  test('the code page is only for a session that has passed the password', async () => {
    assert.equal((await browser().get('/console/sign-in/code')).headers.get('location'), '/console/sign-in');
    assert.equal((await browser().get('/console/enrol')).headers.get('location'), '/console/sign-in');
  });
});

describe('the first sign-in: enrolment', () => {
  test('shows a QR code, the secret and its URI, the same on reload; the app\'s first code confirms it and signs in', async () => {
    const operator = await operatorWith({ enrolled: false });
    const visitor = browser();
    const password = await visitor.submit('/console/sign-in', '/console/sign-in', { email: operator.email, password: operator.password });
    assert.equal(password.headers.get('location'), '/console/enrol');
    assert.equal((await visitor.get('/console')).headers.get('location'), '/console/enrol');
    const page = await (await visitor.get('/console/enrol')).text();
    const secret = page.match(/<p class="totp-secret"><code>([A-Z2-7 ]+)<\/code><\/p>/)![1]!.replaceAll(' ', '');
    assert.match(page, /<div class="totp-qr" role="img" aria-label="[^"]+"><svg aria-hidden="true" focusable="false" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.doesNotMatch(page, /style=/, 'no inline style: the CSP would refuse it');
    assert.ok(page.includes(`otpauth://totp/Portcullis:${encodeURIComponent(operator.email)}?issuer=Portcullis&amp;secret=${secret}&amp;algorithm=SHA1&amp;digits=6&amp;period=30`));
    const again = await (await visitor.get('/console/enrol')).text();
    assert.ok(again.includes(secret.match(/.{1,4}/g)!.join(' ')), 'the same secret on reload');
    const row = await portcullis.db('operators').where({ id: operator.id }).first();
    assert.doesNotMatch(row.totp_secret_sealed, new RegExp(secret), 'kept sealed');
    assert.equal(row.totp_enrolled_at, null);
    const wrong = await visitor.submit('/console/enrol', '/console/enrol', { code: totpCode(secret) === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /class="totp-qr"/, 'the page again, with its QR code');
    const confirmed = await visitor.submit('/console/enrol', '/console/enrol', { code: totpCode(secret) });
    assert.equal(confirmed.status, 303);
    assert.equal(confirmed.headers.get('location'), '/console');
    assert.equal((await visitor.get('/console')).status, 200);
    assert.notEqual((await portcullis.db('operators').where({ id: operator.id }).first()).totp_enrolled_at, null);
    assert.deepEqual((await audited(operator.id, 3)).map((entry) => [entry.action, entry.actor]), [
      ['operator.sign_in_failed', `operator:${operator.id}`], ['operator.enrolled', `operator:${operator.id}`], ['operator.signed_in', `operator:${operator.id}`],
    ]);
  });

  test('an enrolled operator is never shown an enrolment again, and a code from an unconfirmed secret signs nobody in through the code page', async () => {
    const enrolled = await operatorWith();
    const visitor = browser();
    await visitor.submit('/console/sign-in', '/console/sign-in', { email: enrolled.email, password: enrolled.password });
    assert.equal((await visitor.get('/console/enrol')).headers.get('location'), '/console/sign-in/code');
    const fresh = await operatorWith({ enrolled: false });
    const other = browser();
    await other.submit('/console/sign-in', '/console/sign-in', { email: fresh.email, password: fresh.password });
    const secret = (await (await other.get('/console/enrol')).text()).match(/<p class="totp-secret"><code>([A-Z2-7 ]+)<\/code><\/p>/)![1]!.replaceAll(' ', '');
    const csrf = (await (await other.get('/console/enrol')).text()).match(/name="csrf" value="([^"]+)"/)![1]!;
    assert.equal((await other.post('/console/sign-in/code', { csrf, code: totpCode(secret) })).headers.get('location'), '/console/enrol');
  });
});

describe('sessions', () => {
  test('a session ends after thirty idle minutes, and after eight hours however busy; a password-only one after five minutes', async () => {
    const operator = await operatorWith();
    await assertSessionLifetimes(portcullis.db, OPERATOR_SESSIONS, operator.id, FROZEN_AT, { idleSeconds: 30 * 60, absoluteSeconds: 8 * 3600 });

    const clock = fixedClock(FROZEN_AT);
    const deps = { db: portcullis.db, clock };
    const halfway = await startSession(deps, OPERATOR_SESSIONS, operator.id, { firstStepOnly: true });
    clock.advance(5 * 60 - 1);
    assert.equal((await resumeSession(deps, OPERATOR_SESSIONS, halfway.token))?.allSteps, false);
    clock.advance(2);
    assert.equal(await resumeSession(deps, OPERATOR_SESSIONS, halfway.token), undefined);
  });

  test('signing out ends the session in the store: the old cookie, sent again, is signed out; the sign-out is audited', async () => {
    const operator = await operatorWith();
    const visitor = await signedInConsole(portcullis.caPem, portcullis.urls.browser, operator);
    const stolen = visitor.cookies.get(SESSION)!;
    const out = await visitor.submit('/console', '/console/sign-out', {});
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/console/sign-in?signed-out');
    assert.equal(visitor.cookies.has(SESSION), false);
    assert.match(await (await visitor.get('/console/sign-in?signed-out')).text(), /You have signed out\./);
    const replay = browser();
    replay.cookies.set(SESSION, stolen);
    assert.equal((await replay.get('/console')).status, 303);
    assert.deepEqual((await audited(operator.id, 2)).map((entry) => entry.action), ['operator.signed_in', 'operator.signed_out']);
  });
});

describe('pages', () => {
  test('the home shows the operator, their role, live figures and only the sections their role may open', async () => {
    const viewer = await operatorWith({ role: 'viewer', name: 'Vera <Viewer>' });
    const page = await (await (await signedInConsole(portcullis.caPem, portcullis.urls.browser, viewer)).get('/console')).text();
    assert.match(page, /Signed in as <strong>Vera &lt;Viewer&gt;<\/strong>/);
    assert.match(page, /Your role is <strong>Viewer<\/strong>: Sees everything, changes nothing\./);
    const organisations = Number((await portcullis.db('organisations').count({ n: '*' }).first())!.n);
    assert.match(page, new RegExp(`<span class="console-figure-value">${organisations}</span> <span>organisations</span>`));
    assert.doesNotMatch(page, /href="\/console\/operators"/);
  });

  test('an unknown console page is the console\'s 404 page; the console never reaches the authorization server', async () => {
    const answer = await browser().get('/console/nowhere');
    assert.equal(answer.status, 404);
    const html = await answer.text();
    assert.match(html, /Portcullis Console/);
    assert.match(html, /There is no such page in the console\./);
  });
});
