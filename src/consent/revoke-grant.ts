import type { Adapter } from 'oidc-provider';

import type { RevokeGrant } from './consent.service.ts';

/**
 * Ends an authorization at once: the grant and every code, access and refresh token issued under
 * it, in one statement of the token store (`PayloadTableAdapter.revokeByGrantId`, given any token
 * model's adapter: `provider.AccessToken.adapter`, or the store adapter's where there is no
 * provider, as in the CLI). Introspection of any of them reports `active: false` from then on.
 */
export function grantRevoker(tokens: Adapter): RevokeGrant {
  return async function revokeGrant(grantId) {
    await tokens.revokeByGrantId!(grantId);
  };
}
