import { createHash } from 'node:crypto';

import type { Adapter } from 'oidc-provider';

import { epochSeconds, type Clock } from '../../shared/clock.ts';

/**
 * The replay check for signed registration requests, on the same store as client assertions and
 * DPoP proofs (the `ReplayDetection` adapter, whose `find` claims an id atomically across
 * instances): first use true, any later use false, until the request's `exp`.
 */
export function registrationReplayCheck(replay: Adapter, clock: Clock): (issuer: string, jti: string, expiresAt: number) => Promise<boolean> {
  return async function isFirstUse(issuer, jti, expiresAt) {
    // Hashed, as oidc-provider keys its own replay rows: a partner's jti is no key of ours.
    const id = createHash('sha256').update(`registration:${issuer}:${jti}`).digest('base64url');
    if (await replay.find(id)) return false;
    await replay.upsert(id, { jti, iss: issuer }, Math.max(1, expiresAt - epochSeconds(clock)));
    return true;
  };
}
