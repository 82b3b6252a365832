import { hash } from 'node:crypto';

import type { Adapter } from 'oidc-provider';

import { epochSeconds, type Clock } from '../../shared/clock.ts';

/** True the first time `jti` of `issuer` is seen; false on any later use until `expiresAt` (epoch seconds). */
export type FirstUseCheck = (issuer: string, jti: string, expiresAt: number) => Promise<boolean>;

/**
 * A replay check for `jti`s that oidc-provider does not check itself (signed registration
 * requests, DPoP proofs at the gateway), on the same store as client assertions and the token
 * endpoint's DPoP proofs: the `ReplayDetection` adapter, whose `find` claims an id atomically
 * across instances. `purpose` keeps each use's ids apart from the others'.
 */
export function firstUseCheck(replay: Adapter, clock: Clock, purpose: string): FirstUseCheck {
  return async function isFirstUse(issuer, jti, expiresAt) {
    // Hashed, as oidc-provider keys its own replay rows: a partner's jti is no key of ours.
    const id = hash('sha256', `${purpose}:${issuer}:${jti}`, 'base64url');
    if (await replay.find(id)) return false;
    await replay.upsert(id, { jti, iss: issuer }, Math.max(1, expiresAt - epochSeconds(clock)));
    return true;
  };
}
