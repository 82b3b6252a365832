import type { Context, Middleware } from 'koa';

import { readForm } from '../../../shared/read-form.ts';
import { OPERATOR_ROLE_RIGHTS, OPERATOR_ROLES } from '../../operators/operator-role.ts';
import { changeOperatorRole, createOperator, disableOperator, listOperators, OperatorExists } from '../../operators/operators.service.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { NEW_OPERATOR_FORM, OPERATOR_ROLE_FORM } from '../console-forms.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * Admins manage operators: the list, a new operator (their generated first password shown once),
 * another role, disabling one (their sessions end at once). An admin cannot change or disable
 * their own account here, so the console can never be left without the admin who was using it.
 */

const ROLE_OPTIONS = OPERATOR_ROLES.map((role) => ({ value: role, label: `${OPERATOR_ROLE_RIGHTS[role].label}: ${OPERATOR_ROLE_RIGHTS[role].summary}` }));

async function renderOperators(ctx: Context, deps: ConsoleDependencies, locals: Record<string, unknown> = {}): Promise<void> {
  await renderConsolePage(ctx, deps.csrfSecret, 'operators', {
    section: 'operators', operators: await listOperators(deps), roles: OPERATOR_ROLE_RIGHTS, roleOptions: ROLE_OPTIONS,
    csrf: consoleFormToken(ctx, deps.csrfSecret), values: {}, errors: [], created: undefined, notice: undefined, ...locals,
  });
}

const actorOf = (ctx: Context) => `operator:${ctx.state.operator!.id}` as const;

function refuseOwnAccount(ctx: Context): void {
  if (ctx.params['operatorId'] === ctx.state.operator!.id) ctx.throw(409, 'You cannot change or disable your own account. Ask another admin.');
}

/** `GET /console/operators`: every operator, and the form for a new one. */
export function showOperators(deps: ConsoleDependencies): Middleware {
  return async function showOperators(ctx) {
    const notice = ctx.query['changed'] !== undefined ? 'The operator has been changed.' : undefined;
    await renderOperators(ctx, deps, { notice });
  };
}

/** `POST /console/operators`: a new operator, their first password shown once (201); or the form again (400, 409). */
export function submitNewOperator(deps: ConsoleDependencies): Middleware {
  return async function submitNewOperator(ctx) {
    const form = ctx.state.form!;
    const read = readForm(NEW_OPERATOR_FORM, form);
    if (!read.ok) {
      ctx.status = 400;
      return renderOperators(ctx, deps, { values: form, errors: read.errors, hasError: true });
    }
    try {
      const created = await createOperator(deps, read.value, actorOf(ctx));
      ctx.status = 201;
      return await renderOperators(ctx, deps, { created });
    } catch (error) {
      if (!(error instanceof OperatorExists)) throw error;
      ctx.status = 409;
      return renderOperators(ctx, deps, { values: form, errors: [{ field: 'email', message: 'An operator with this email address exists already' }], hasError: true });
    }
  };
}

/** `POST /console/operators/{operatorId}/role`: another role. */
export function submitOperatorRole(deps: ConsoleDependencies): Middleware {
  return async function submitOperatorRole(ctx) {
    refuseOwnAccount(ctx);
    const read = readForm(OPERATOR_ROLE_FORM, ctx.state.form!);
    if (!read.ok) return ctx.throw(400, read.errors[0]!.message);
    if (!(await changeOperatorRole(deps, ctx.params['operatorId']!, read.value.role, actorOf(ctx)))) ctx.throw(404, 'There is no such operator.');
    ctx.status = 303;
    ctx.redirect('/console/operators?changed');
  };
}

/** `POST /console/operators/{operatorId}/disable`: the operator can no longer sign in, and their sessions end. */
export function submitDisableOperator(deps: ConsoleDependencies): Middleware {
  return async function submitDisableOperator(ctx) {
    refuseOwnAccount(ctx);
    if (!(await disableOperator(deps, ctx.params['operatorId']!, actorOf(ctx)))) ctx.throw(404, 'There is no such operator, or it is disabled already.');
    ctx.status = 303;
    ctx.redirect('/console/operators?changed');
  };
}
