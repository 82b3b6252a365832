import type { AccountPagesDependencies } from '../accounts/account-pages.deps.ts';
import type { PortalApisCache } from '../portal-apis-cache.ts';

/** What the application pages need beyond the accounts': the catalogue (for each plan's APIs) and where the gateway answers. */
export interface AppPagesDependencies extends AccountPagesDependencies {
  catalog: PortalApisCache;
  gatewayBaseUrl: string;
}
