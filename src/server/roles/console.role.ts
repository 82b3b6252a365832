import { adminApi } from '../../admin/admin-api.ts';
import { problemTypeBase } from '../error-family.ts';
import type { Role } from './role.ts';

/**
 * The `console` role: the admin API on the admin listener (localhost by default), authenticated
 * with the admin token. The console's pages, which go through it, join with their issue.
 */
export const consoleRole: Role = async (context) => {
  const { config, secrets, logger, db, events, clock, audit } = context;
  return {
    admin: [adminApi({
      catalogue: { db, events, clock, actor: 'ops' },
      adminToken: secrets.adminToken,
      problemTypeBase: problemTypeBase(config.issuer),
      logger,
      audit,
    })],
  };
};
