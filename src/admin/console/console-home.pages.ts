import type { Middleware } from 'koa';

import { mayDo, OPERATOR_ROLE_RIGHTS } from '../operators/operator-role.ts';
import type { ConsoleDependencies } from './console.deps.ts';
import { loadConsoleOverview } from './console-overview.store.ts';
import { renderConsolePage } from './render-console-page.ts';

/** `GET /console`: who is signed in and with which role, the programme's figures today, and the sections the role may open. */
export function showConsoleHome(deps: ConsoleDependencies): Middleware {
  return async function showConsoleHome(ctx) {
    const operator = ctx.state.operator!;
    const sections = [
      { href: '/console/plan-requests', title: 'Plan requests', summary: mayDo(operator.role, 'operate') ? 'Subscriptions developers asked for, to approve or refuse' : 'Subscriptions developers asked for, waiting for an operator' },
      ...(mayDo(operator.role, 'administer') ? [{ href: '/console/operators', title: 'Operators', summary: 'Who may use the console, and with which role' }] : []),
    ];
    await renderConsolePage(ctx, deps.csrfSecret, 'home', {
      section: 'home', overview: await loadConsoleOverview(deps.db), sections, roleSummary: OPERATOR_ROLE_RIGHTS[operator.role].summary,
    });
  };
}
