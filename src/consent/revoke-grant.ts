import type Provider from 'oidc-provider';

import type { RevokeGrant } from './consent.service.ts';

/**
 * Ends an authorization at once: the grant and every code, access and refresh token issued under
 * it, in one statement of the token store (`PayloadTableAdapter.revokeByGrantId`). Introspection of
 * any of them reports `active: false` from then on.
 */
export function grantRevoker(provider: Provider): RevokeGrant {
  return async function revokeGrant(grantId) {
    await provider.AccessToken.adapter.revokeByGrantId!(grantId);
  };
}
