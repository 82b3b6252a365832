import type { RoleName } from '../config/config.ts';
import { authRole } from './roles/auth.role.ts';
import { consoleRole } from './roles/console.role.ts';
import { gatewayRole } from './roles/gateway.role.ts';
import type { Role } from './roles/role.ts';

/**
 * Every role a process can run (`ROLES`), in the order their routes go on a listener: the
 * gateway's `/open-banking/` table before the authorization server, whose partner listener answers
 * 404 for every path that is not one of its endpoints. The console's admin API has a listener of
 * its own. The developer portal joins this table with its issue.
 */
export const ROLES: ReadonlyArray<readonly [RoleName, Role]> = [
  ['gateway', gatewayRole],
  ['auth', authRole],
  ['console', consoleRole],
];
