import type { Context } from 'koa';

import { OPERATOR_ROLE_RIGHTS } from '../operators/operator-role.ts';
import { renderView } from '../../shared/render-view.ts';
import { consoleFormToken } from './console-form-csrf.ts';

/**
 * Answers with a console page (`views/admin/<view>.ejs`), which knows who is signed in (name,
 * role) for its header, and carries the sign-out form's CSRF token when someone is.
 */
export async function renderConsolePage(ctx: Context, csrfSecret: Buffer, view: string, locals: Record<string, unknown>): Promise<void> {
  const operator = ctx.state.secondFactor ? ctx.state.operator : null;
  const signedIn = operator ? { roleLabel: OPERATOR_ROLE_RIGHTS[operator.role].label, signOutCsrf: consoleFormToken(ctx, csrfSecret) } : {};
  ctx.type = 'html';
  ctx.body = await renderView(`admin/${view}`, { operator, ...signedIn, ...locals });
}
