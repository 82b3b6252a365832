import type { RoleName } from '../config/config.ts';
import { authRole } from './roles/auth.role.ts';
import { consoleRole } from './roles/console.role.ts';
import { gatewayRole } from './roles/gateway.role.ts';
import { portalRole } from './roles/portal.role.ts';
import type { Role } from './roles/role.ts';

/**
 * Every role a process can run (`ROLES`), in the order their routes go on a listener: the
 * gateway's `/open-banking/` table before the authorization server, whose partner listener answers
 * 404 for every path that is not one of its endpoints; the developer portal's pages before the
 * authorization server's too, whose provider answers every other browser path, and the console's
 * pages (`/console`) for the same reason. The console's admin API has a listener of its own.
 */
export const ROLES: ReadonlyArray<readonly [RoleName, Role]> = [
  ['gateway', gatewayRole],
  ['portal', portalRole],
  ['console', consoleRole],
  ['auth', authRole],
];
