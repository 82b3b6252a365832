import type { Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import { mayDo, type OperatorRight, type OperatorRole } from '../operators/operator-role.ts';

/** Who is calling the admin API, as its checks and the audit log see them. */
export interface AdminCaller {
  /** How the audit log names them: `admin-token` for the configured token. */
  actor: string;
  role: OperatorRole;
  /** The operator whose personal token (or console session) this is; absent for the admin token. */
  operatorId?: string;
  /** When the personal token presented expires (absent for the admin token and the console). */
  tokenExpiresAt?: Date;
}

declare module 'koa' {
  interface DefaultState {
    /** The authenticated caller of an admin API request. */
    adminCaller?: AdminCaller;
  }
}

/** The caller holding the configured admin token (`ADMIN_TOKEN`): automation with every right. */
export const ADMIN_TOKEN_CALLER: AdminCaller = { actor: 'admin-token', role: 'admin' };

/** Refuses (403) a caller whose role lacks the right the route needs. */
export function requireRight(right: OperatorRight): Middleware {
  return async function requireRight(ctx, next) {
    const caller = ctx.state.adminCaller!;
    if (!mayDo(caller.role, right)) throw new Problem(403, 'forbidden', `The ${caller.role} role may not do this: it needs the ${right} right`);
    await next();
  };
}
