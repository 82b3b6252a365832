import type { AuditLog } from '../audit/audit-log.ts';
import type { CatalogueContext } from '../gateway/catalogue/catalogue-transaction.ts';
import type { Logger } from '../observability/logger.ts';

/** What the admin API is built with; the console role wires it from the server context. */
export interface AdminApiDependencies {
  /** Store, bus and clock for the services; every change is an operator's (`actor: 'ops'`). */
  catalogue: CatalogueContext;
  /** The bearer token operators present (`ADMIN_TOKEN`). */
  adminToken: string;
  /** Where problem types are documented (`<issuer>/docs/problems/`). */
  problemTypeBase: string;
  logger: Logger;
  /** Where every change made through the API is recorded, with its caller, before and after. */
  audit: AuditLog;
}
