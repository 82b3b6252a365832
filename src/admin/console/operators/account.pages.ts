import type { Context, Middleware } from 'koa';
import { z } from 'zod';

import { pageNotice } from '../../../shared/page-notice.ts';
import { readForm } from '../../../shared/read-form.ts';
import { auditAdminChange } from '../../http/audit-admin-change.ts';
import { OPERATOR_ROLE_RIGHTS } from '../../operators/operator-role.ts';
import { createOperatorToken, getOperatorToken, listOperatorTokens, OperatorTokenNotFound, OperatorTokenRevoked, revokeOperatorToken, TOKEN_LIFETIME_DAYS } from '../../operators/operator-tokens.service.ts';
import { asAdminCaller } from '../as-admin-caller.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * The operator's own account: who they are, and their personal tokens for the admin API (made,
 * shown once, revoked). Every role may manage its own tokens (a token carries no more than its
 * operator's role, so a viewer's only reads). Making and revoking are the admin API's own routes
 * (`/admin/v1/me/tokens`), audited under them with the operator as the caller; the token itself
 * never enters the audit.
 */

const NOTICES: Readonly<Record<string, string>> = { revoked: 'The token has been revoked: it opens nothing from now on.' };

const LIFETIMES = TOKEN_LIFETIME_DAYS.map((days) => ({ value: String(days), label: days === 365 ? '1 year' : `${days} days` }));

const TOKEN_FORM = z.object({
  name: z.string().trim().min(1, 'Say what the token is for').max(100, 'Use at most 100 characters'),
  expiresInDays: z.enum(TOKEN_LIFETIME_DAYS.map(String) as [string, ...string[]], 'Choose when it expires').transform(Number),
});

const tokensOf = (deps: ConsoleDependencies) => ({ db: deps.db, clock: deps.clock });

async function renderAccount(ctx: Context, deps: ConsoleDependencies, locals: Record<string, unknown> = {}): Promise<void> {
  const operator = ctx.state.operator!;
  await renderConsolePage(ctx, deps.csrfSecret, 'account', {
    section: 'account', tokens: await listOperatorTokens(tokensOf(deps), operator.id), roleSummary: OPERATOR_ROLE_RIGHTS[operator.role].summary, lifetimes: LIFETIMES,
    csrf: consoleFormToken(ctx, deps.csrfSecret), values: { expiresInDays: '30' }, errors: [], issued: undefined, notice: pageNotice(ctx, NOTICES), ...locals,
  });
}

/** `GET /console/account` */
export function showAccount(deps: ConsoleDependencies): Middleware {
  return async function showAccount(ctx) {
    await renderAccount(ctx, deps);
  };
}

/**
 * `POST /console/account/tokens`: a new token, shown once (201); or the form again (400). The
 * audited step answers as the admin API does (the token, or the mistakes), so that the audit
 * records what that route would, the token dropped; the page is drawn around it afterwards.
 */
export function submitNewToken(deps: ConsoleDependencies): Middleware[] {
  return [
    async function showNewToken(ctx: Context, next) {
      await next();
      const answer = ctx.body as { errors?: unknown };
      if (ctx.status === 400) return renderAccount(ctx, deps, { values: ctx.state.form, errors: answer.errors, hasError: true });
      await renderAccount(ctx, deps, { issued: answer });
    },
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'POST', path: '/admin/v1/me/tokens' }),
    async function submitNewToken(ctx: Context) {
      const read = readForm(TOKEN_FORM, ctx.state.form!);
      if (!read.ok) {
        ctx.status = 400;
        ctx.body = { errors: read.errors };
        return;
      }
      ctx.state.adminBody = read.value;
      ctx.body = await createOperatorToken(tokensOf(deps), ctx.state.operator!.id, read.value);
      ctx.status = 201;
    },
  ];
}

/** `POST /console/account/tokens/{tokenId}/revoke` */
export function submitTokenRevocation(deps: ConsoleDependencies): Middleware[] {
  return [
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'POST', path: '/admin/v1/me/tokens/{tokenId}/revoke', subject: (params) => getOperatorToken(tokensOf(deps), undefined, params['tokenId']!) }),
    async function submitTokenRevocation(ctx: Context) {
      try {
        await revokeOperatorToken(tokensOf(deps), ctx.state.operator!.id, ctx.params['tokenId']!);
      } catch (error) {
        if (error instanceof OperatorTokenNotFound) ctx.throw(404, 'You have no such token.');
        if (error instanceof OperatorTokenRevoked) ctx.throw(409, 'That token has been revoked already.');
        throw error;
      }
      ctx.status = 303;
      ctx.redirect('/console/account?revoked');
    },
  ];
}
