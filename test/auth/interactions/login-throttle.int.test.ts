import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { insertCustomerIfAbsent } from '../../../src/auth/customers/customer.store.ts';
import { hashPassword } from '../../../src/auth/customers/password-authenticator.ts';
import { CustomerBrowser, shownCode } from '../../helpers/customer-browser.ts';
import { pushedAuthorization } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

const WRONG_CREDENTIALS = 'The username or password is not right. Check them and try again.';
const THROTTLED = 'Too many sign-in attempts. For your security, try again in about 15 minutes.';

// Customers of this file's own, and client addresses of its own (forwarded by a trusted proxy):
// PostgreSQL is shared with other test files, whose logins as the sandbox customers from
// 127.0.0.1 must not be blocked by what this file does.
const run = randomBytes(6).toString('hex');
const guessed = { id: `throttle-guessed-${run}`, username: `throttle-guessed-${run}`, password: `right-${run}`, display_name: 'Guessed At' };
const neighbour = { id: `throttle-neighbour-${run}`, username: `throttle-neighbour-${run}`, password: `right-too-${run}`, display_name: 'Same Address' };
const besieged = { id: `throttle-besieged-${run}`, username: `throttle-besieged-${run}`, password: `besieged-${run}`, display_name: 'Under Attack' };
const twoStep = { id: `throttle-two-step-${run}`, username: `throttle-two-step-${run}`, password: `two-step-${run}`, display_name: 'Has The Password' };
const codeGuesser = { id: `throttle-code-guesser-${run}`, username: `throttle-code-guesser-${run}`, password: `code-guesser-${run}`, display_name: 'Password Leaked' };
const busy = { id: `throttle-busy-${run}`, username: `throttle-busy-${run}`, password: `busy-${run}`, display_name: 'Many Devices' };
const uniqueAddress = () => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::7`;

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis({ TRUSTED_PROXIES: '127.0.0.1' });
  for (const { password, ...customer } of [guessed, neighbour, besieged, twoStep, busy, codeGuesser]) {
    await insertCustomerIfAbsent(portcullis.db, { ...customer, password_hash: await hashPassword(password) });
  }
});
after(async () => {
  await portcullis?.db('customers').whereIn('id', [guessed.id, neighbour.id, besieged.id, twoStep.id, busy.id, codeGuesser.id]).delete();
  await portcullis?.close();
});

type Page = { url: URL; status: number; html: string };

/** A customer's browser behind the proxy, which forwards `address` as theirs; keeps each response's headers. */
function browserAt(address: string) {
  const fetchTls = tlsFetch(portcullis.caPem);
  const headers: Headers[] = [];
  const viaProxy = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const forwarded = new Headers(init.headers);
    forwarded.set('x-forwarded-for', address);
    const response = await fetchTls(input, { ...init, headers: forwarded });
    headers.push(response.headers);
    return response;
  }) as typeof fetch;
  const browser = new CustomerBrowser(viaProxy, [portcullis.urls.browser]);
  return {
    async openLogin(): Promise<Page> {
      const { page } = await browser.open(await pushedAuthorization(portcullis));
      assert.ok(page, 'the login page');
      return page;
    },
    async signIn(page: Page, username: string, password: string): Promise<Page> {
      const { page: next } = await browser.submit(page, '/login', { username, password });
      assert.ok(next, 'a page, not a redirect to the partner');
      return next;
    },
    async enterCode(page: Page, code: string): Promise<Page> {
      const { page: next } = await browser.submit(page, '/code', { code });
      assert.ok(next, 'a page, not a redirect to the partner');
      return next;
    },
    /** Signs in to the Connected apps dashboard (the password alone); resolves the status of the answer to the form. */
    async dashboardSignIn(username: string, password: string): Promise<number> {
      const { page } = await browser.open(new URL(`${portcullis.urls.browser}/connected-apps/sign-in`));
      assert.ok(page, 'the dashboard sign-in page');
      const outcome = await browser.submit(page, '/connected-apps/sign-in', { username, password });
      return outcome.page?.status ?? 200;
    },
    lastHeaders: () => headers.at(-1)!,
  };
}

/** How many statements `action` sent to the customers table: the password authenticator reads it before every Argon2 check. */
async function customerReadsDuring<T>(action: () => Promise<T>): Promise<{ result: T; customerReads: number }> {
  const statements: string[] = [];
  const record = (query: { sql: string }) => void statements.push(query.sql);
  portcullis.db.on('query', record);
  try {
    const result = await action();
    return { result, customerReads: statements.filter((sql) => /"customers"/.test(sql)).length };
  } finally {
    portcullis.db.removeListener('query', record);
  }
}

const alertOf = (html: string) => /<p class="error" role="alert" id="login-error">([^<]*)<\/p>/.exec(html)?.[1];
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
const fieldOf = (html: string, id: string) => new RegExp(`<input id="${id}"[^>]*>`).exec(html)?.[0] ?? '';

test('after 5 wrong passwords the right one is refused with 429 and Retry-After, without checking it', async () => {
  const customer = browserAt(uniqueAddress());
  let page = await customer.openLogin();
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const { result, customerReads } = await customerReadsDuring(() => customer.signIn(page, guessed.username, `wrong-${attempt}`));
    page = result;
    assert.equal(page.status, 401, `wrong password ${attempt}`);
    assert.equal(alertOf(page.html), WRONG_CREDENTIALS);
    assert.equal(customerReads, 1, 'the authenticator was asked');
  }
  for (const id of ['username', 'password']) {
    assert.match(fieldOf(page.html, id), /aria-invalid="true"/, `${id} is marked invalid`);
    assert.match(fieldOf(page.html, id), /aria-describedby="login-error"/, `${id} is tied to the error`);
  }
  assert.equal(titleOf(page.html), 'Error: Sign in · Portcullis Bank');

  const { result: refused, customerReads } = await customerReadsDuring(() => customer.signIn(page, guessed.username, guessed.password));
  assert.equal(refused.status, 429);
  assert.equal(customer.lastHeaders().get('retry-after'), '900');
  assert.equal(alertOf(refused.html), THROTTLED);
  assert.equal(customerReads, 0, 'the authenticator was not asked, so no Argon2 check ran');
  assert.equal(titleOf(refused.html), 'Error: Sign in · Portcullis Bank');
  for (const id of ['username', 'password']) {
    assert.doesNotMatch(fieldOf(refused.html, id), /aria-invalid/, `${id} is not wrong, only throttled`);
    assert.match(fieldOf(refused.html, id), /aria-describedby="login-error"/);
  }

  // The block is the username's: another customer signs in from the same address.
  const signedIn = await customer.signIn(await customer.openLogin(), neighbour.username, neighbour.password);
  assert.equal(signedIn.status, 200);
  assert.doesNotMatch(signedIn.html, /Sign in to Portcullis Bank/, 'past the login page');
});

test('a username no customer has is refused alike, so a block tells nothing about who exists', async () => {
  const customer = browserAt(uniqueAddress());
  let page = await customer.openLogin();
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    page = await customer.signIn(page, `nobody-${run}`, `guess-${attempt}`);
    assert.equal(page.status, 401);
    assert.equal(alertOf(page.html), WRONG_CREDENTIALS);
  }
  const refused = await customer.signIn(page, ` Nobody-${run.toUpperCase()}`, 'guess-6');
  assert.equal(refused.status, 429, 'the same username, however it is typed');
  assert.equal(customer.lastHeaders().get('retry-after'), '900');
  assert.equal(alertOf(refused.html), THROTTLED);
});

test('the login page shows no error state before a sign-in is tried', async () => {
  const page = await browserAt(uniqueAddress()).openLogin();
  assert.equal(page.status, 200);
  assert.equal(titleOf(page.html), 'Sign in · Portcullis Bank');
  assert.equal(alertOf(page.html), undefined);
  for (const id of ['username', 'password']) assert.doesNotMatch(fieldOf(page.html, id), /aria-(invalid|describedby)/);
});

test('ten simultaneous right passwords for one customer all get through, and leave the username unblocked', async () => {
  const address = uniqueAddress();
  const customers = Array.from({ length: 10 }, () => browserAt(address));
  const logins = await Promise.all(customers.map((customer) => customer.openLogin()));
  const answers = await Promise.all(customers.map((customer, i) => customer.signIn(logins[i]!, busy.username, busy.password)));
  assert.deepEqual(answers.map((page) => page.status), Array(10).fill(200), 'no 429: more right passwords in flight than the failure budget is no failure');
  for (const page of answers) assert.doesNotMatch(page.html, /Sign in to Portcullis Bank/, 'past the password page');

  const later = browserAt(uniqueAddress());
  const wrong = await later.signIn(await later.openLogin(), busy.username, 'not-the-password');
  assert.equal(wrong.status, 401, 'a wrong password afterwards is checked, not refused: nothing was blocked');
  const right = await later.signIn(wrong, busy.username, busy.password);
  assert.equal(right.status, 200);
});

test('twelve wrong passwords sent at once: five are checked, the rest are refused, and the username is blocked', async () => {
  const guessers = Array.from({ length: 12 }, () => browserAt(uniqueAddress()));
  const logins = await Promise.all(guessers.map((guesser) => guesser.openLogin()));
  const { result: answers, customerReads } = await customerReadsDuring(() => Promise.all(guessers.map((guesser, i) => guesser.signIn(logins[i]!, besieged.username, `guess-${i}`))));
  assert.equal(customerReads, 5, 'the authenticator was asked five times, however the requests interleaved');
  assert.deepEqual(answers.map((page) => page.status).sort(), [...Array(5).fill(401), ...Array(7).fill(429)]);
  const owner = browserAt(uniqueAddress());
  const refused = await owner.signIn(await owner.openLogin(), besieged.username, besieged.password);
  assert.equal(refused.status, 429, 'blocked by the five real failures');
});

test('wrong one-time codes count with wrong passwords, and a right password does not wipe them out', async () => {
  const customer = browserAt(uniqueAddress());
  let page = await customer.openLogin();
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    page = await customer.signIn(page, twoStep.username, `wrong-${attempt}`);
    assert.equal(page.status, 401);
  }
  page = await customer.signIn(page, twoStep.username, twoStep.password);
  assert.equal(page.status, 200, 'the right password leads to the code page');
  const code = shownCode(page.html);
  const wrongCode = code === '000000' ? '111111' : '000000';
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    page = await customer.enterCode(page, wrongCode);
    assert.equal(page.status, 401, `wrong code ${attempt}`);
  }
  const refused = await customer.enterCode(page, code);
  assert.equal(refused.status, 429, 'three wrong passwords and two wrong codes are five failures');
  assert.equal(customer.lastHeaders().get('retry-after'), '900');
  assert.equal(/<p class="error" role="alert" id="code-error">([^<]*)<\/p>/.exec(refused.html)?.[1], THROTTLED);
  const again = await customer.signIn(await customer.openLogin(), twoStep.username, twoStep.password);
  assert.equal(again.status, 429, 'the password page refuses the username too');
});

test('a sign-in with the password alone (the dashboard) does not wipe out wrong one-time codes', async () => {
  // Whoever holds the password must not be able to guess codes forever by signing in to the
  // dashboard between guesses: only a completed two-factor sign-in starts the username afresh.
  const customer = browserAt(uniqueAddress());
  let page = await customer.signIn(await customer.openLogin(), codeGuesser.username, codeGuesser.password);
  const wrongCode = shownCode(page.html) === '000000' ? '111111' : '000000';
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    page = await customer.enterCode(page, wrongCode);
    assert.equal(page.status, 401, `wrong code ${attempt}`);
  }
  assert.ok([200, 303].includes(await customer.dashboardSignIn(codeGuesser.username, codeGuesser.password)), 'the dashboard lets the password in');
  page = await customer.signIn(await customer.openLogin(), codeGuesser.username, codeGuesser.password);
  assert.equal(page.status, 200, 'the code page again');
  page = await customer.enterCode(page, wrongCode);
  assert.equal(page.status, 401, 'the fifth wrong code');
  const refused = await customer.enterCode(page, wrongCode);
  assert.equal(refused.status, 429, 'four wrong codes, a dashboard sign-in and one more wrong code are five failures');
});
