/**
 * How long, and how many, connections each listener holds (`defaults.listeners`), driven with raw
 * TLS sockets: an idle keep-alive connection, a client dripping its headers (slowloris) or its
 * body, one that never shakes hands, and connections beyond the cap. The limits are made short
 * here so that each case takes a second or two; Node's own would hold each for a minute or more.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { ListenerLimits } from '../../src/config/config.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { closesWithin, connectRaw, connectSilent, drip, type RawConnection } from '../helpers/raw-tls.ts';

const LIMITS: ListenerLimits = { headersTimeout: 1, requestTimeout: 2, keepAliveTimeout: 1, tlsHandshakeTimeout: 1, timeoutCheckInterval: 0.1, maxConnections: 4 };
// Node keeps an idle keep-alive socket this much past keepAliveTimeout (keepAliveTimeoutBuffer).
const KEEP_ALIVE_GRACE_MS = 1000;
// Scheduling slack on a busy two-core machine.
const SLACK_MS = 1500;

let portcullis: TestPortcullis;
let listeners: Array<[name: string, port: number]>;

before(async () => {
  portcullis = await startTestPortcullis({}, { listeners: LIMITS });
  listeners = [['browser', Number(new URL(portcullis.urls.browser).port)], ['partner', Number(new URL(portcullis.urls.partner).port)]];
});
after(() => portcullis?.close());

async function open(port: number): Promise<RawConnection> {
  const connection = await connectRaw(port, portcullis.caPem);
  assert.notEqual(connection, 'refused', 'the listener accepts the connection');
  return connection as RawConnection;
}

/** Runs `check` on both listeners at once, naming the listener in any failure. */
async function onBothListeners(check: (port: number) => Promise<void>): Promise<void> {
  await Promise.all(listeners.map(async ([name, port]) => {
    try {
      await check(port);
    } catch (error) {
      throw new Error(`${name} listener: ${(error as Error).message}`, { cause: error });
    }
  }));
}

describe('connection timeouts', () => {
  test('an idle keep-alive connection is closed after keepAliveTimeout, without a word', async () => {
    await onBothListeners(async (port) => {
      const connection = await open(port);
      connection.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      while (!connection.received().includes('{"status":"ok"}')) await new Promise((resolve) => setTimeout(resolve, 10));
      const answered = performance.now();
      const answer = connection.received();
      assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(answer, /\r\nConnection: keep-alive\r\n/i);
      assert.match(answer, new RegExp(`\\r\\nKeep-Alive: timeout=${LIMITS.keepAliveTimeout}\\r\\n`, 'i'));

      const keepAliveMs = LIMITS.keepAliveTimeout * 1000;
      const idleMs = await closesWithin(connection.closed, answered, keepAliveMs + KEEP_ALIVE_GRACE_MS + SLACK_MS, () => connection.socket.destroy());
      assert.ok(idleMs >= keepAliveMs - 50, `kept for keepAliveTimeout, closed after ${idleMs} ms`);
      assert.equal(connection.received(), answer, 'nothing more is sent on an idle close');
    });
  });

  test('a client sending its headers byte by byte (slowloris) is cut after headersTimeout', async () => {
    await onBothListeners(async (port) => {
      const connection = await open(port);
      // Far longer than headersTimeout at 10 bytes a second.
      void drip(connection.socket, `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'z'.repeat(100)}\r\n\r\n`, 100);
      const heldMs = await closesWithin(connection.closed, connection.openedAt, LIMITS.headersTimeout * 1000 + SLACK_MS, () => connection.socket.destroy());
      assert.ok(heldMs >= LIMITS.headersTimeout * 1000 - 50, `held for headersTimeout, closed after ${heldMs} ms`);
      assert.match(connection.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
    });
  });

  test('a client dripping its body is cut after requestTimeout', async () => {
    await onBothListeners(async (port) => {
      const connection = await open(port);
      const body = 'grant_type=client_credentials&scope=accounts&padding='.padEnd(400, 'x');
      connection.socket.write(`POST /token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`);
      void drip(connection.socket, body, 100);
      const heldMs = await closesWithin(connection.closed, connection.openedAt, LIMITS.requestTimeout * 1000 + SLACK_MS, () => connection.socket.destroy());
      assert.ok(heldMs >= LIMITS.requestTimeout * 1000 - 50, `held for requestTimeout, closed after ${heldMs} ms`);
      assert.match(connection.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
    });
  });

  test('a client that never starts its TLS handshake is cut after tlsHandshakeTimeout', async () => {
    await onBothListeners(async (port) => {
      const silent = await connectSilent(port);
      const heldMs = await closesWithin(silent.closed, silent.openedAt, LIMITS.tlsHandshakeTimeout * 1000 + SLACK_MS, silent.destroy);
      assert.ok(heldMs >= LIMITS.tlsHandshakeTimeout * 1000 - 50, `held for tlsHandshakeTimeout, closed after ${heldMs} ms`);
    });
  });
});

describe('connection cap', () => {
  test('a listener refuses connections beyond maxConnections, and accepts again once one closes', async () => {
    await onBothListeners(async (port) => {
      const held = [];
      for (let i = 0; i < LIMITS.maxConnections; i++) held.push(await open(port));
      try {
        assert.equal(await connectRaw(port, portcullis.caPem), 'refused', 'one more is closed before its handshake');
        held.pop()!.socket.destroy();
        // The listener counts the closed socket out once its close reaches it.
        let again = await connectRaw(port, portcullis.caPem);
        for (let attempt = 0; again === 'refused' && attempt < 20; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          again = await connectRaw(port, portcullis.caPem);
        }
        assert.notEqual(again, 'refused', 'a place freed is a place taken');
        held.push(again as RawConnection);
      } finally {
        for (const connection of held) connection.socket.destroy();
      }
    });
  });
});
