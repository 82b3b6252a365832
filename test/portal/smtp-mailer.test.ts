import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { suite, test, type TestContext } from 'node:test';
import { inspect } from 'node:util';

import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

import { readSmtpUrl } from '../../src/config/smtp-url.ts';
import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { MailUnavailable } from '../../src/portal/mail/mail-unavailable.ts';
import { SMTP_TIMEOUTS, smtpMailer, type SmtpMailer, type SmtpTimeouts } from '../../src/portal/mail/smtp-mailer.ts';
import { freePort } from '../helpers/free-port.ts';

const RECIPIENT = 'dev.person@example.com';
const FROM = 'Portcullis <no-reply@bank.example>';
const USER = 'portal';
// Characters that must be percent-encoded in a URL, to check that the mailer decodes them.
const PASSWORD = 'p@ss:w/rd%';
const MAIL = { to: RECIPIENT, subject: 'Verify your email', text: 'Your code is 123456.\nIt expires in 10 minutes.' };

/** A CA the mailer is told to trust, and a certificate it signed for 127.0.0.1. */
const ca = generateKeyPair('ec');
const caPem = issueCertificate({ subject: { commonName: 'Test mail CA' }, profile: 'ca', privateKeyPem: ca.privateKeyPem, validDays: 1 });
const leaf = generateKeyPair('ec');
const serverTls = {
  key: leaf.privateKeyPem,
  cert: issueCertificate({
    subject: { commonName: 'mail.test' }, profile: 'server', ipAddresses: ['127.0.0.1'], validDays: 1,
    publicKeyPem: leaf.publicKeyPem, issuer: { certificatePem: caPem, privateKeyPem: ca.privateKeyPem },
  }),
};

interface Delivery {
  secure: boolean;
  user: string | undefined;
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: string;
}

/** A real SMTP server on a random loopback port that keeps what it received and who tried to log in. */
async function startSmtpServer(t: TestContext, options: SMTPServerOptions & { rejectRecipients?: boolean } = {}) {
  const deliveries: Delivery[] = [];
  const logins: string[] = [];
  const { rejectRecipients, ...serverOptions } = options;
  const server = new SMTPServer({
    ...serverTls,
    disableReverseLookup: true,
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? '');
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      // Echo the address back, as real servers do, to check it is redacted.
      callback(rejectRecipients ? Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 }) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        deliveries.push({
          secure: session.secure,
          user: session.user,
          mailFrom: mailFrom ? mailFrom.address : undefined,
          rcptTo: rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...serverOptions,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(resolve)));
  const { port } = server.server.address() as { port: number };
  return { port, deliveries, logins };
}

/** A bare TCP server that does whatever `onConnection` does; its sockets are destroyed after the test. */
async function startTcpServer(t: TestContext, onConnection: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as { port: number }).port;
}

function mailerFor(t: TestContext, url: string, trust: { ca?: string } = { ca: caPem }, timeouts?: SmtpTimeouts): SmtpMailer {
  const mailer = smtpMailer({ server: readSmtpUrl(url), from: FROM, ...trust, ...(timeouts && { timeouts }) });
  t.after(() => mailer.close());
  return mailer;
}

const credentials = `${USER}:${encodeURIComponent(PASSWORD)}@`;

/** The send rejects with MailUnavailable of `code`, and nothing about it names the recipient. */
async function assertUnavailable(sending: Promise<void>, code: string): Promise<MailUnavailable> {
  const error = await sending.then(() => assert.fail('the send succeeded'), (rejection: unknown) => rejection);
  assert.ok(error instanceof MailUnavailable, `expected MailUnavailable, got ${inspect(error)}`);
  assert.equal(error.code, code, inspect(error));
  // What the portal's error page shows: 503, when to come back, and words that say nothing of the failure.
  assert.equal(error.status, 503);
  assert.equal(error.expose, true);
  assert.deepEqual(error.headers, { 'Retry-After': '60' });
  assert.equal(error.message, 'We could not send the mail just now. Please try again in a minute.');
  assert.ok(error.cause instanceof Error);
  const everything = inspect(error, { depth: Infinity, showHidden: true });
  assert.ok(!everything.includes('dev.person'), `the recipient leaked: ${everything}`);
  assert.ok(!everything.includes(MAIL.text.slice(0, 12)), 'the body leaked');
  return error;
}

/** Headers (names lower-cased, unfolded) and body of a raw RFC 5322 message. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

test('delivers over STARTTLS after logging in, with the From, To, Subject and text given', async (t) => {
  const server = await startSmtpServer(t);
  await mailerFor(t, `smtp://${credentials}127.0.0.1:${server.port}`).send(MAIL);

  assert.equal(server.deliveries.length, 1);
  const [delivery] = server.deliveries;
  assert.equal(delivery.secure, true, 'the session was upgraded with STARTTLS');
  assert.equal(delivery.user, USER);
  assert.equal(delivery.mailFrom, 'no-reply@bank.example');
  assert.deepEqual(delivery.rcptTo, [RECIPIENT]);
  const { headers, body } = parseMessage(delivery.raw);
  assert.equal(headers.get('from'), FROM);
  assert.equal(headers.get('to'), RECIPIENT);
  assert.equal(headers.get('subject'), MAIL.subject);
  assert.equal(headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(headers.get('content-transfer-encoding'), '7bit');
  // The CRLF before the final "." ends the last line (RFC 5321 §4.1.1.4).
  assert.equal(body, `${MAIL.text.replaceAll('\n', '\r\n')}\r\n`);
});

test('smtps:// speaks TLS from the first byte', async (t) => {
  const server = await startSmtpServer(t, { secure: true });
  await mailerFor(t, `smtps://${credentials}127.0.0.1:${server.port}`).send(MAIL);

  assert.equal(server.deliveries.length, 1);
  assert.equal(server.deliveries[0].secure, true);
  assert.equal(server.deliveries[0].user, USER);
});

test('?tls=off sends in plaintext, ignoring the STARTTLS the server offers', async (t) => {
  const server = await startSmtpServer(t, { authOptional: true });
  await mailerFor(t, `smtp://127.0.0.1:${server.port}?tls=off`).send(MAIL);

  assert.equal(server.deliveries.length, 1);
  assert.equal(server.deliveries[0].secure, false);
  assert.deepEqual(server.deliveries[0].rcptTo, [RECIPIENT]);
});

test('a server that does not support STARTTLS gets neither the password nor the mail', async (t) => {
  // The server would take a plaintext login: only the mailer's policy stops it.
  const server = await startSmtpServer(t, { disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
  await assertUnavailable(mailerFor(t, `smtp://${credentials}127.0.0.1:${server.port}`).send(MAIL), 'ETLS');

  assert.deepEqual(server.logins, []);
  assert.deepEqual(server.deliveries, []);
});

test('a certificate that does not chain to a trusted CA gets neither the password nor the mail', async (t) => {
  const server = await startSmtpServer(t);
  const error = await assertUnavailable(mailerFor(t, `smtp://${credentials}127.0.0.1:${server.port}`, {}).send(MAIL), 'ESOCKET');

  assert.match((error.cause as Error).message, /^unable to verify the first certificate/);
  assert.deepEqual(server.logins, []);
  assert.deepEqual(server.deliveries, []);
});

test('a refused login is MailUnavailable (EAUTH)', async (t) => {
  const server = await startSmtpServer(t);
  const error = await assertUnavailable(mailerFor(t, `smtp://${USER}:wrong@127.0.0.1:${server.port}`).send(MAIL), 'EAUTH');

  assert.equal((error.cause as Error & { responseCode?: number }).responseCode, 535);
  assert.deepEqual(server.logins, [USER]);
  assert.deepEqual(server.deliveries, []);
});

test('a refused recipient is MailUnavailable (EENVELOPE), with the address redacted from the reply', async (t) => {
  const server = await startSmtpServer(t, { rejectRecipients: true });
  const error = await assertUnavailable(mailerFor(t, `smtp://${credentials}127.0.0.1:${server.port}`).send(MAIL), 'EENVELOPE');

  const cause = error.cause as Error & { responseCode?: number; command?: string };
  assert.equal(cause.responseCode, 550);
  assert.equal(cause.command, 'RCPT TO');
  assert.match(cause.message, /<\[address\]>: mailbox unavailable/);
  assert.deepEqual(server.deliveries, []);
});

test('an address list in `to` is sent to no one', async (t) => {
  const server = await startSmtpServer(t);
  const mailer = mailerFor(t, `smtp://${credentials}127.0.0.1:${server.port}`);
  await assertUnavailable(mailer.send({ ...MAIL, to: `${RECIPIENT}, other@example.com` }), 'EMAXRECIPIENTS');

  assert.deepEqual(server.deliveries, []);
});

test('nothing listening is MailUnavailable (ESOCKET) at once', async (t) => {
  const port = await freePort();
  const startedAt = performance.now();
  await assertUnavailable(mailerFor(t, `smtp://${credentials}127.0.0.1:${port}`).send(MAIL), 'ESOCKET');

  assert.ok(performance.now() - startedAt < 1_000);
});

// The production bounds scaled down by ten, so that the stalling servers take a test seconds, not 15.
const SHORT: SmtpTimeouts = Object.fromEntries(Object.entries(SMTP_TIMEOUTS).map(([step, ms]) => [step, ms / 10])) as unknown as SmtpTimeouts;

suite('a stalling server fails the send in bounded time', { concurrency: true }, () => {
  // The test timeouts turn a hang, the failure under test, into a failed test.
  test('one that never greets, after the greeting timeout', { timeout: 5_000 }, async (t) => {
    const port = await startTcpServer(t, () => {});
    const startedAt = performance.now();
    await assertUnavailable(mailerFor(t, `smtp://${credentials}127.0.0.1:${port}`, { ca: caPem }, SHORT).send(MAIL), 'ETIMEDOUT');

    const elapsed = performance.now() - startedAt;
    assert.ok(elapsed >= SHORT.greetingMs - 20 && elapsed < SHORT.greetingMs + 1_000, `failed after ${elapsed} ms`);
  });

  test('one that trickles its EHLO reply (never silent as long as the socket timeout), at the send deadline', { timeout: 5_000 }, async (t) => {
    const port = await startTcpServer(t, (socket) => {
      socket.write('220 trickle.test ESMTP\r\n');
      socket.once('data', () => {
        const trickle = setInterval(() => socket.write('250-still thinking\r\n'), SHORT.socketMs / 10);
        socket.on('close', () => clearInterval(trickle));
      });
    });
    const startedAt = performance.now();
    await assertUnavailable(mailerFor(t, `smtp://${credentials}127.0.0.1:${port}`, { ca: caPem }, SHORT).send(MAIL), 'EABORT');

    const elapsed = performance.now() - startedAt;
    assert.ok(elapsed >= SHORT.sendDeadlineMs - 20 && elapsed < SHORT.sendDeadlineMs + 1_000, `failed after ${elapsed} ms`);
  });
});
