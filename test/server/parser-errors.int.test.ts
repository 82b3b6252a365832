/**
 * What Node's HTTP parser refuses before any middleware runs (oversized headers, malformed
 * requests, requests that do not arrive in time), and the requests Node would answer itself (no
 * Host, an unknown Expect), driven with raw TLS sockets: each is answered in the listener's error
 * format with a body, `Connection: close` and an `x-fapi-interaction-id`, never Node's bare status
 * line.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { obPartner, type ObPartner } from '../helpers/ob-partner.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { closesWithin, connectRaw, drip, parseRawResponse, type RawConnection, type RawResponse } from '../helpers/raw-tls.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CONSENTS = '/open-banking/v3.1/aisp/account-access-consents';
// Above Node's 16 KiB header limit.
const HUGE_HEADER = `X-Padding: ${'p'.repeat(20_000)}\r\n`;

let portcullis: TestPortcullis;
let browserPort: number;
let partnerPort: number;
let partner: ObPartner;

before(async () => {
  portcullis = await startTestPortcullis({}, { listeners: { headersTimeout: 1, requestTimeout: 2, timeoutCheckInterval: 0.1 } });
  browserPort = Number(new URL(portcullis.urls.browser).port);
  partnerPort = Number(new URL(portcullis.urls.partner).port);
  partner = await obPartner(portcullis);
});
after(() => portcullis?.close());

/** Sends `request` as is (more may follow through `then`) and reads what comes back up to the server's close. */
async function exchangeText(port: number, request: string, then?: (connection: RawConnection) => Promise<void>): Promise<string> {
  // The sample client's certificate, to which partner tokens are bound; the browser listener asks for none.
  const connection = await connectRaw(port, portcullis.caPem, portcullis.sampleClient);
  assert.notEqual(connection, 'refused');
  const { socket, closed, received } = connection as RawConnection;
  socket.write(request);
  if (then) void then(connection as RawConnection);
  await closesWithin(closed, performance.now(), 5000, () => socket.destroy());
  return received();
}

async function exchange(port: number, request: string, then?: (connection: RawConnection) => Promise<void>): Promise<RawResponse> {
  return parseRawResponse(await exchangeText(port, request, then));
}

/** The headers every such answer carries; returns the interaction id. */
function assertClosingAnswer(answer: RawResponse, status: number, type: RegExp): string {
  assert.equal(answer.status, status, answer.body.slice(0, 300));
  assert.match(answer.headers['content-type'] ?? '', type);
  assert.equal(Number(answer.headers['content-length']), Buffer.byteLength(answer.body), 'Content-Length is the body');
  assert.equal(answer.headers['connection'], 'close');
  assert.equal(answer.headers['cache-control'], 'no-store');
  assert.equal(answer.headers['x-content-type-options'], 'nosniff');
  assert.match(answer.headers['x-fapi-interaction-id'] ?? '', UUID);
  return answer.headers['x-fapi-interaction-id']!;
}

function assertOAuthAnswer(answer: RawResponse, status: number, description: string): void {
  assertClosingAnswer(answer, status, /^application\/json; charset=utf-8$/);
  assert.deepEqual(JSON.parse(answer.body), { error: 'invalid_request', error_description: description });
}

/** One error in OBErrorResponse1; returns the interaction id. */
function assertObAnswer(answer: RawResponse, status: string, errors: [{ ErrorCode: string; Message: string; Path?: string }]): string {
  const interactionId = assertClosingAnswer(answer, Number(status.slice(0, 3)), /^application\/json; charset=utf-8$/);
  const body = JSON.parse(answer.body);
  assertMatchesObSchema('account-info', 'OBErrorResponse1', body);
  assert.match(body.Id, UUID);
  assert.deepEqual(body, { Code: status, Id: body.Id, Message: errors[0]!.Message, Errors: errors });
  return interactionId;
}

function assertErrorPage(answer: RawResponse, status: number, message: string): void {
  assertClosingAnswer(answer, status, /^text\/html; charset=utf-8$/);
  assert.match(answer.headers['content-security-policy'] ?? '', /default-src 'none'/);
  assert.match(answer.body, /<title>Something went wrong · Portcullis Bank<\/title>/);
  assert.match(answer.body, new RegExp(`<p>${message}</p>`));
  assert.match(answer.body, /Error code: <code>invalid_request<\/code>/);
}

describe('oversized headers (431)', () => {
  test('partner listener: RFC 6749 JSON (over TLS the overflow lands past the request line, so no path picks another format)', async () => {
    const answer = await exchange(partnerPort, `GET ${CONSENTS}/aac-1 HTTP/1.1\r\nHost: localhost\r\n${HUGE_HEADER}\r\n`);
    assertOAuthAnswer(answer, 431, 'request headers too large');
  });

  test('browser listener: the error page', async () => {
    const answer = await exchange(browserPort, `GET /authorize HTTP/1.1\r\nHost: localhost\r\n${HUGE_HEADER}\r\n`);
    assertErrorPage(answer, 431, 'request headers too large');
  });
});

describe('malformed requests (400)', () => {
  // A NUL in a header value is refused by the parser itself (RFC 9110 §5.5), before any handler reads it.
  const withNulHeader = (path: string) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\nx-idempotency-key: a\u0000b\r\n\r\n`;

  test('partner listener, Open Banking path: OBErrorResponse1', async () => {
    assertObAnswer(await exchange(partnerPort, withNulHeader(`${CONSENTS}/aac-1`)), '400 BadRequest', [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request is not valid HTTP/1.1' }]);
  });

  test('partner listener, OAuth path: RFC 6749 JSON', async () => {
    assertOAuthAnswer(await exchange(partnerPort, withNulHeader('/token')), 400, 'request could not be parsed');
  });

  test('partner listener, no request line to read: RFC 6749 JSON', async () => {
    assertOAuthAnswer(await exchange(partnerPort, 'HELLO\r\n\r\n'), 400, 'request could not be parsed');
  });

  test('browser listener: the error page', async () => {
    assertErrorPage(await exchange(browserPort, withNulHeader('/connected-apps')), 400, 'request could not be parsed');
    assertErrorPage(await exchange(browserPort, 'HELLO\r\n\r\n'), 400, 'request could not be parsed');
  });
});

describe('requests not received in time (408)', () => {
  const slowHeaders = async ({ socket }: RawConnection) => drip(socket, `X-Slow: ${'z'.repeat(100)}\r\n`, 100);

  test('headers too slow: RFC 6749 JSON on the partner listener, the error page on the browser listener', async () => {
    const [partner, browser] = await Promise.all([
      exchange(partnerPort, `GET ${CONSENTS}/aac-1 HTTP/1.1\r\nHost: localhost\r\n`, slowHeaders),
      exchange(browserPort, 'GET /connected-apps HTTP/1.1\r\nHost: localhost\r\n', slowHeaders),
    ]);
    assertOAuthAnswer(partner, 408, 'request not received in time');
    assertErrorPage(browser, 408, 'request not received in time');
  });

  test('body too slow: the format of the path the request names', async () => {
    const slowBody = (path: string, headers: string) => exchange(partnerPort, `POST ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}Content-Length: 400\r\n\r\n`, ({ socket }) => drip(socket, 'x'.repeat(400), 100));
    const consentHeaders = `Authorization: Bearer ${await partner.token('accounts')}\r\nx-idempotency-key: ${randomUUID()}\r\nContent-Type: application/json\r\n`;
    const [consents, token] = await Promise.all([slowBody(CONSENTS, consentHeaders), slowBody('/token', 'Content-Type: application/x-www-form-urlencoded\r\n')]);
    const interactionId = assertObAnswer(consents, '408 RequestTimeout', [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request was not received in time' }]);
    assert.equal(JSON.parse(consents.body).Id, interactionId, 'Id and interaction id are one value: the log line has both');
    assertOAuthAnswer(token, 408, 'request not received in time');
  });

  test('a request already answered is not answered twice when the rest of its body is late', async () => {
    // No access token: the consent API answers 401 at once, while the body is still coming (of a
    // type the listener's edge does not read, so nothing waits for it first).
    const text = await exchangeText(partnerPort, `POST ${CONSENTS} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 400\r\n\r\n`, ({ socket }) => drip(socket, 'x'.repeat(400), 100));
    assert.equal(text.match(/HTTP\/1\.1 /g)?.length, 1, text);
    assert.match(text, /^HTTP\/1\.1 401 Unauthorized\r\n/);
  });
});

describe('requests Node would answer itself', () => {
  test('HTTP/1.1 without Host (RFC 9112 §3.2): 400 in the endpoint\'s format', async () => {
    const noHost = (path: string) => `GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`;
    assertObAnswer(await exchange(partnerPort, noHost(`${CONSENTS}/aac-1`)), '400 BadRequest', [{ ErrorCode: 'UK.OBIE.Header.Missing', Message: 'The Host header is required', Path: 'Host' }]);
    assertOAuthAnswer(await exchange(partnerPort, noHost('/token')), 400, 'the Host header is required');
    assertErrorPage(await exchange(browserPort, noHost('/connected-apps')), 400, 'the Host header is required');
  });

  test('an Expect other than 100-continue is ignored (RFC 9110 §10.1.1), not answered with a bare 417', async () => {
    for (const port of [browserPort, partnerPort]) {
      const answer = await exchange(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nExpect: teapot\r\nConnection: close\r\n\r\n');
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body), { status: 'ok' });
    }
  });
});
