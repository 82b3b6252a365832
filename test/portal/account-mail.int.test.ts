/**
 * Where the account pages' mail goes, over real TLS against the real app and store: to the SMTP
 * server `SMTP_URL` names, in any environment; without it, to the development outbox, and in
 * production nowhere (the account pages are off, and a warning says so once). The SMTP
 * connections end when the server does.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';

import { SMTPServer } from 'smtp-server';

import { startPortcullis } from '../../src/server/start.ts';
import { capturedLogger } from '../helpers/captured-logger.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/free-port.ts';
import { startTestPortcullis, testConfig, type TestPortcullis } from '../helpers/portcullis.ts';
import { openTestStore } from '../helpers/store.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

const address = () => `dev-${randomBytes(4).toString('hex')}@example.com`;
const SIGN_UP = { name: 'Ada', password: 'a long enough password' };

/** The sign-up form as a browser of its own sends it: the form's cookie and CSRF token, then `email`. */
async function signUp(instance: { browser: string; caPem: string }, email: string): Promise<Response> {
  const send = tlsFetch(instance.caPem);
  const page = await send(`${instance.browser}/account/sign-up`);
  assert.equal(page.status, 200);
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)![1]!;
  return send(`${instance.browser}/account/sign-up`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, email, ...SIGN_UP }).toString(),
  });
}

/** A real SMTP server on loopback (plaintext and no login, for `?tls=off`) that keeps the messages and counts its open connections. */
async function startMailServer(t: TestContext) {
  const messages: string[] = [];
  let open = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    onConnect(_session, callback) {
      open += 1;
      callback();
    },
    onClose() {
      open -= 1;
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(resolve)));
  const { port } = server.server.address() as { port: number };
  return { url: `smtp://127.0.0.1:${port}?tls=off`, messages, openConnections: () => open };
}

/** The portal (alone) with its configuration saying production; nothing else of a production environment bears on its mail. */
async function startInProduction(t: TestContext, env: Record<string, string> = {}) {
  const { workDir, config } = await testConfig({ ROLES: 'portal', ...env });
  const db = await openTestStore();
  const log = capturedLogger();
  const portcullis = await startPortcullis({ ...config, env: 'production' }, log.logger, { db });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await portcullis.close();
    await db.destroy();
    rmSync(workDir, { recursive: true, force: true });
  };
  t.after(close);
  return { browser: portcullis.urls.browser!, caPem: readFileSync(join(config.certsDir, 'dev-ca.pem'), 'utf8'), db, log, close };
}

describe('account mail in production', () => {
  test('without SMTP_URL the account pages are off, and one warning at startup says how to turn them on', async (t) => {
    const production = await startInProduction(t);
    assert.equal((await tlsFetch(production.caPem)(`${production.browser}/account/sign-up`)).status, 404);
    assert.equal((await tlsFetch(production.caPem)(`${production.browser}/apis`)).status, 200, 'the rest of the portal is served');
    const warnings = production.log.lines.filter((line) => line.msg.includes('SMTP_URL'));
    assert.deepEqual(warnings.map((line) => [line.level, line.msg]), [[40, 'PORTAL ACCOUNT PAGES ARE OFF: sign-up, sign-in and password reset need mail; set SMTP_URL to serve them.']]);
  });

  test('with SMTP_URL the account pages send through that server, from MAIL_FROM, and its connections end with the server', async (t) => {
    const mailServer = await startMailServer(t);
    const production = await startInProduction(t, { SMTP_URL: mailServer.url, MAIL_FROM: 'Portcullis Developers <developers@bank.example>' });
    const email = address();
    const answer = await signUp(production, email);
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get('location'), '/account/check-email');

    assert.equal(mailServer.messages.length, 1);
    const [message] = mailServer.messages;
    assert.match(message!, /^From: Portcullis Developers <developers@bank\.example>\r$/m);
    assert.match(message!, new RegExp(`^To: ${email}\r$`, 'm'));
    assert.match(message!, /^Subject: Confirm your email address for Portcullis Developers\r$/m);
    assert.equal((await production.db('portal_outbox').where({ recipient: email })).length, 0, 'nothing went to the outbox');
    assert.doesNotMatch(await (await tlsFetch(production.caPem)(`${production.browser}/account/check-email`)).text(), /development outbox/);

    assert.equal(mailServer.openConnections(), 1, 'the pool keeps its connection between mails');
    await production.close();
    await eventually(() => mailServer.openConnections() === 0, { withinMs: 2_000, what: 'the SMTP connection closed' });
  });
});

describe('account mail outside production, with SMTP_URL', () => {
  let unmailed: TestPortcullis;
  before(async () => {
    // Nothing listens at that port.
    unmailed = await startTestPortcullis({ SMTP_URL: `smtp://127.0.0.1:${await freePort()}?tls=off` });
  });
  after(() => unmailed?.close());

  test('a mail server that cannot be reached: the developer is asked to try again in a minute (503, Retry-After), never shown the failure', async () => {
    const email = address();
    const answer = await signUp({ browser: unmailed.urls.browser, caPem: unmailed.caPem }, email);
    assert.equal(answer.status, 503);
    assert.equal(answer.headers.get('retry-after'), '60');
    const html = await answer.text();
    assert.match(html, /<p>We could not send the mail just now\. Please try again in a minute\.<\/p>/);
    assert.doesNotMatch(html, /ECONNREFUSED|ESOCKET|127\.0\.0\.1|MailUnavailable|\.ts:\d+/);
    assert.equal((await unmailed.db('portal_outbox').where({ recipient: email })).length, 0, 'nothing fell back to the outbox');
    assert.equal((await tlsFetch(unmailed.caPem)(`${unmailed.urls.browser}/dev/outbox`)).status, 404, 'nor is there an outbox page');
  });
});
