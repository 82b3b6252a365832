import type { Middleware } from 'koa';

import { loadSession } from '../../shared/sessions/session-cookie.ts';
import type { SessionsDependencies } from '../../shared/sessions/sessions.service.ts';
import { mayDo, OPERATOR_ROLE_RIGHTS, type OperatorRight } from '../operators/operator-role.ts';
import { OPERATOR_SESSIONS, type SessionOperator } from '../operators/operator-sessions.ts';

declare module 'koa' {
  interface DefaultState {
    /** On console pages: the operator of a live session (both factors passed, or the password only), or null. */
    operator?: SessionOperator | null;
    /** Whether that session has passed the second factor. */
    secondFactor?: boolean;
  }
}

/** Puts the operator of a live session in `ctx.state.operator` (null without one) and whether it passed the second factor. */
export const loadConsoleSession = (deps: SessionsDependencies): Middleware => loadSession(deps, OPERATOR_SESSIONS, function keepOperator(state, resumed) {
  state.operator = resumed?.holder ?? null;
  state.secondFactor = resumed?.allSteps ?? false;
});

/** Where a session that has passed the password only goes next: the code, or setting up the app the first time. */
export const secondStepPath = (operator: SessionOperator) => (operator.enrolled ? '/console/sign-in/code' : '/console/enrol');

/**
 * A console page or action for operators whose role has `right`: a signed-out visitor is sent to
 * sign in (303, and back to this page after a GET); a session that has passed the password only
 * to its second step; an operator whose role lacks the right is refused (403).
 */
export function requireOperator(right: OperatorRight): Middleware {
  return async function requireOperator(ctx, next) {
    const operator = ctx.state.operator;
    if (!operator || !ctx.state.secondFactor) {
      ctx.status = 303;
      ctx.redirect(operator ? secondStepPath(operator) : ctx.method === 'GET' ? `/console/sign-in?next=${encodeURIComponent(ctx.originalUrl)}` : '/console/sign-in');
      return;
    }
    if (!mayDo(operator.role, right)) ctx.throw(403, `Your role (${OPERATOR_ROLE_RIGHTS[operator.role].label}) does not allow this. Ask an admin if you need it.`);
    await next();
  };
}

/** The sign-in's second step (code or enrolment): only for a session that has passed the password only. */
export function requirePasswordStep(enrolled: boolean): Middleware {
  return async function requirePasswordStep(ctx, next) {
    const operator = ctx.state.operator;
    if (!operator || ctx.state.secondFactor || operator.enrolled !== enrolled) {
      ctx.status = 303;
      ctx.redirect(!operator ? '/console/sign-in' : ctx.state.secondFactor ? '/console' : secondStepPath(operator));
      return;
    }
    await next();
  };
}
