import type { Context, Middleware } from 'koa';
import { z } from 'zod';

import { listClients } from '../../../auth/clients/client.store.ts';
import type { StatusChange } from '../../../consent/consent.store.ts';
import { findOperatorById } from '../../operators/operator.store.ts';
import { pageNotice } from '../../../shared/page-notice.ts';
import { auditAdminChange } from '../../http/audit-admin-change.ts';
import { mayDo } from '../../operators/operator-role.ts';
import { CONSENT_KIND_NAMES, CONSENT_STATUSES } from '../../openbanking/ob-admin.schema.ts';
import { ObAdminConflict, ObAdminInvalid, ObAdminNotFound } from '../../openbanking/ob-admin-errors.ts';
import { consentAuditSubject, findConsents, revokeConsentForBank, viewConsent } from '../../openbanking/ob-consents.service.ts';
import { asAdminCaller } from '../as-admin-caller.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { OPEN_BANKING_VIEW_HELPERS } from './open-banking-view.ts';
import { readConsoleQuery } from '../organisations/organisations.schema.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * Consents: searched by customer (id or username), partner, kind, status and creation days, newest
 * first, a page at a time; each one's page with its status history (every move the store recorded,
 * who made it and why). Revoking one is the admin API's own change
 * (`POST /admin/v1/openbanking/consents/{consentId}/revoke`): the consent service's revocation, as
 * the customer's own in Connected apps, audited under that route with the operator as the caller.
 */

const PAGE_SIZE = 50;

const once = (words: string) => z.string(`Give ${words} once`);

// Each filter at most once; their values are checked by the search itself (`ob-admin.schema.ts`).
const CONSENTS_QUERY = z.object({
  customer: once('the customer').optional(),
  clientId: once('the partner').optional(),
  kind: once('the kind').optional(),
  status: once('the status').optional(),
  createdFrom: once('the first day').optional(),
  createdTo: once('the last day').optional(),
  after: once('the page').max(400, 'There is no such page').optional(),
});

const CONSENT_NOTICES: Readonly<Record<string, string>> = {
  revoked: 'The consent has been revoked: the partner\'s tokens for it are refused, and its history records it.',
};

/** `GET /console/open-banking/consents[?customer=&clientId=&kind=&status=&createdFrom=&createdTo=&after=]` */
export function showOpenBankingConsents(deps: ConsoleDependencies): Middleware {
  return async function showOpenBankingConsents(ctx) {
    const { after, ...filters } = readConsoleQuery(ctx, CONSENTS_QUERY);
    let page;
    try {
      page = await findConsents(deps.db, filters, { limit: PAGE_SIZE, after });
    } catch (error) {
      if (error instanceof ObAdminInvalid) ctx.throw(400, `${error.issues[0]!.message}.`);
      throw error;
    }
    const given = Object.fromEntries(Object.entries(filters).filter(([, value]) => value)) as Record<string, string>;
    const clients = (await listClients(deps.db)).map((row) => ({ clientId: row.client_id, name: typeof row.metadata['client_name'] === 'string' ? row.metadata['client_name'] : row.client_id }));
    await renderConsolePage(ctx, deps.csrfSecret, 'open-banking-consents', {
      section: 'open-banking', ...OPEN_BANKING_VIEW_HELPERS, consents: page.items, filters: given, searched: Object.keys(given).length > 0,
      clients, kinds: CONSENT_KIND_NAMES, statuses: CONSENT_STATUSES,
      nextPage: page.next && `/console/open-banking/consents?${new URLSearchParams({ ...given, after: page.next })}`,
      firstPage: after !== undefined ? `/console/open-banking/consents${Object.keys(given).length ? `?${new URLSearchParams(given)}` : ''}` : null,
    });
  };
}

const OPERATOR_IN_REASON = /operator:([A-Za-z0-9_-]+)/g;

/** A history's reasons with the operators they name (`operator:<id>`) written as their names, where they are known. */
async function reasonsWithNames(deps: ConsoleDependencies, history: readonly StatusChange[]): Promise<Array<string | undefined>> {
  const ids = new Set(history.flatMap((change) => [...(change.reason ?? '').matchAll(OPERATOR_IN_REASON)].map((match) => match[1]!)));
  const names = new Map<string, string>();
  for (const id of ids) {
    const operator = await findOperatorById(deps.db, id);
    if (operator) names.set(id, operator.name);
  }
  return history.map((change) => change.reason?.replace(OPERATOR_IN_REASON, (whole, id: string) => names.get(id) ?? whole));
}

/** `GET /console/open-banking/consents/{consentId}` */
export function showOpenBankingConsent(deps: ConsoleDependencies): Middleware {
  return async function showOpenBankingConsent(ctx) {
    try {
      const view = await viewConsent(deps.db, ctx.params['consentId']!);
      await renderConsolePage(ctx, deps.csrfSecret, 'open-banking-consent', {
        section: 'open-banking', ...OPEN_BANKING_VIEW_HELPERS, ...view, reasons: await reasonsWithNames(deps, view.history),
        mayOperate: mayDo(ctx.state.operator!.role, 'operate'), csrf: consoleFormToken(ctx, deps.csrfSecret), notice: pageNotice(ctx, CONSENT_NOTICES),
      });
    } catch (error) {
      if (error instanceof ObAdminNotFound) ctx.throw(404, 'There is no such consent.');
      throw error;
    }
  };
}

/** `POST /console/open-banking/consents/{consentId}/revoke` (operate). */
export function submitConsentRevocation(deps: ConsoleDependencies): Middleware[] {
  return [
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'POST', path: '/admin/v1/openbanking/consents/{consentId}/revoke', subject: (params) => consentAuditSubject(deps.db, params['consentId']!) }),
    async function submitConsentRevocation(ctx: Context) {
      const consentId = ctx.params['consentId']!;
      try {
        await revokeConsentForBank(deps, deps.revokeGrant, consentId, ctx.state.adminCaller!.actor);
      } catch (error) {
        if (error instanceof ObAdminNotFound) ctx.throw(404, 'There is no such consent.');
        if (error instanceof ObAdminConflict) ctx.throw(409, `${error.message}.`);
        throw error;
      }
      ctx.status = 303;
      ctx.redirect(`/console/open-banking/consents/${encodeURIComponent(consentId)}?revoked`);
    },
  ];
}
