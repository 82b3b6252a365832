import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A CSRF token bound to one interaction: an HMAC of its uid under a server secret. A page can
 * only be submitted with the token it was rendered with, and another site cannot compute it.
 */
export function csrfTokenFor(secret: Buffer, interactionUid: string): string {
  return createHmac('sha256', secret).update(`csrf:${interactionUid}`).digest('base64url');
}

export function csrfTokenMatches(secret: Buffer, interactionUid: string, token: string | undefined): boolean {
  if (!token) return false;
  const expected = Buffer.from(csrfTokenFor(secret, interactionUid));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
