import type { Client, KoaContextWithOIDC } from 'oidc-provider';

export const FAPI_PROFILES = ['2.0', '1.0 Final'] as const;
export type FapiProfile = (typeof FAPI_PROFILES)[number];

/**
 * FAPI 2.0 Security Profile for everyone, unless a client registered `fapi_profile: "1.0 Final"`
 * (FAPI 1.0 Advanced, as UK Open Banking requires). Requests without a client yet (discovery)
 * are held to 2.0.
 */
export function fapiProfileFor(_ctx: KoaContextWithOIDC, client: Client | undefined): FapiProfile {
  return client?.['fapi_profile'] === '1.0 Final' ? '1.0 Final' : '2.0';
}
