import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * The Connected apps dashboard keeps its own session, apart from oidc-provider's: a customer comes
 * to it straight from the bank's website, not through a partner's authorization. The whole session
 * lives in the cookie, sealed with an HMAC: nothing to store, nothing to sweep. It is either
 * anonymous (the sign-in form, whose CSRF token it anchors) or signed in as one customer.
 */

/** Idle lifetime of a session, seconds: 15 minutes, renewed by every dashboard request. */
export const SESSION_TTL_SECONDS = 15 * 60;

export interface DashboardSession {
  /** Random, new at every sign-in: the CSRF tokens of the session are bound to it. */
  id: string;
  /** The signed-in customer; absent while the customer has only the sign-in form open. */
  customerId?: string;
  /** Unix time, seconds, after which the session is over. */
  expiresAt: number;
}

/** A new session, for `customerId` or anonymous, expiring `SESSION_TTL_SECONDS` from `now` (epoch seconds). */
export function newSession(customerId: string | undefined, now: number): DashboardSession {
  const session: DashboardSession = { id: randomBytes(16).toString('base64url'), expiresAt: now + SESSION_TTL_SECONDS };
  if (customerId !== undefined) session.customerId = customerId;
  return session;
}

/** The same session with its expiry moved to `SESSION_TTL_SECONDS` from `now` (sliding expiry). */
export function renewSession(session: DashboardSession, now: number): DashboardSession {
  return { ...session, expiresAt: now + SESSION_TTL_SECONDS };
}

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(`dashboard-session:${payload}`).digest();
}

/** The cookie value: the session as base64url JSON, a dot, and its HMAC-SHA256 under `secret`. */
export function sealSession(secret: Buffer, session: DashboardSession): string {
  const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/**
 * The session a cookie value holds, or undefined when it was not sealed under `secret`, was
 * altered, or has expired: all of them mean "signed out".
 */
export function openSession(secret: Buffer, value: string | undefined, now: number): DashboardSession | undefined {
  const [payload, tag, ...rest] = (value ?? '').split('.');
  if (!payload || !tag || rest.length) return undefined;
  const given = Buffer.from(tag, 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const session = parseSession(Buffer.from(payload, 'base64url').toString('utf8'));
  return session && session.expiresAt > now ? session : undefined;
}

// The MAC says we wrote it; the shape is checked anyway, as for any value that left the server.
function parseSession(json: string): DashboardSession | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const { id, customerId, expiresAt } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || !id || !Number.isSafeInteger(expiresAt)) return undefined;
  if (customerId !== undefined && (typeof customerId !== 'string' || !customerId)) return undefined;
  const session: DashboardSession = { id, expiresAt: expiresAt as number };
  if (customerId !== undefined) session.customerId = customerId;
  return session;
}
