import type { Context, Middleware } from 'koa';
import { z } from 'zod';

import { pageNotice } from '../../../shared/page-notice.ts';
import { auditAdminChange } from '../../http/audit-admin-change.ts';
import { mayDo } from '../../operators/operator-role.ts';
import { ObAdminInvalid, ObAdminNotFound } from '../../openbanking/ob-admin-errors.ts';
import { listPartners, readPartner, removePartner, setPartnerStatus, viewPartner } from '../../openbanking/ob-partners.service.ts';
import { asAdminCaller } from '../as-admin-caller.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { OPEN_BANKING_VIEW_HELPERS } from './open-banking-view.ts';
import { readConsoleQuery } from '../organisations/organisations.schema.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * Open Banking partners: the clients registered (by dynamic registration with a directory's
 * software statement, or by ops), a page at a time, and each one's registration, certificates and
 * consents. Suspending one (the authorization server and every gateway refuse it within a second),
 * reactivating it and removing it (its consents revoked, its registration deleted) are the admin
 * API's own changes (`POST /admin/v1/openbanking/clients/{clientId}/suspend|reactivate`,
 * `DELETE /admin/v1/openbanking/clients/{clientId}`): the same services, audited under those routes
 * with the operator as the caller.
 */

const PAGE_SIZE = 50;

const CLIENTS_QUERY = z.object({ after: z.string('Give the page once').max(400, 'There is no such page').optional() });

const LIST_NOTICES: Readonly<Record<string, string>> = {
  removed: 'The client has been removed: its consents are revoked and it can no longer get tokens. A partner must register again to come back.',
};

const CLIENT_NOTICES: Readonly<Record<string, string>> = {
  suspended: 'The client is suspended: the authorization server refuses it and the gateway refuses its tokens.',
  reactivated: 'The client is active again: its tokens and authorisations work as before.',
};

/** `GET /console/open-banking[?after=cursor]` */
export function showOpenBankingClients(deps: ConsoleDependencies): Middleware {
  return async function showOpenBankingClients(ctx) {
    const { after } = readConsoleQuery(ctx, CLIENTS_QUERY);
    let page;
    try {
      page = await listPartners(deps.db, deps.clock.now(), { limit: PAGE_SIZE, after });
    } catch (error) {
      if (error instanceof ObAdminInvalid) ctx.throw(400, 'There is no such page of clients.');
      throw error;
    }
    await renderConsolePage(ctx, deps.csrfSecret, 'open-banking-clients', {
      section: 'open-banking', ...OPEN_BANKING_VIEW_HELPERS, clients: page.items,
      nextPage: page.next && `/console/open-banking?${new URLSearchParams({ after: page.next })}`, paged: after !== undefined,
      notice: pageNotice(ctx, LIST_NOTICES),
    });
  };
}

/** `GET /console/open-banking/clients/{clientId}` */
export function showOpenBankingClient(deps: ConsoleDependencies): Middleware {
  return async function showOpenBankingClient(ctx) {
    try {
      const view = await viewPartner(deps.db, ctx.params['clientId']!, deps.clock.now());
      await renderConsolePage(ctx, deps.csrfSecret, 'open-banking-client', {
        section: 'open-banking', ...OPEN_BANKING_VIEW_HELPERS, ...view,
        mayOperate: mayDo(ctx.state.operator!.role, 'operate'), csrf: consoleFormToken(ctx, deps.csrfSecret), notice: pageNotice(ctx, CLIENT_NOTICES),
      });
    } catch (error) {
      if (error instanceof ObAdminNotFound) ctx.throw(404, 'There is no such Open Banking client.');
      throw error;
    }
  };
}

const clientSubject = (deps: ConsoleDependencies) => (params: Record<string, string>) => readPartner(deps.db, params['clientId']!, deps.clock.now());

/** `POST /console/open-banking/clients/{clientId}/suspend|reactivate` (operate). */
export function submitOpenBankingClientStatus(deps: ConsoleDependencies, change: 'suspend' | 'reactivate'): Middleware[] {
  return [
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'POST', path: `/admin/v1/openbanking/clients/{clientId}/${change}`, subject: clientSubject(deps) }),
    async function submitOpenBankingClientStatus(ctx: Context) {
      const clientId = ctx.params['clientId']!;
      try {
        await setPartnerStatus(deps, clientId, change === 'suspend' ? 'suspended' : 'active');
      } catch (error) {
        if (error instanceof ObAdminNotFound) ctx.throw(404, 'There is no such Open Banking client.');
        throw error;
      }
      ctx.status = 303;
      ctx.redirect(`/console/open-banking/clients/${encodeURIComponent(clientId)}?${change === 'suspend' ? 'suspended' : 'reactivated'}`);
    },
  ];
}

/** `POST /console/open-banking/clients/{clientId}/remove` (operate), audited as `DELETE /admin/v1/openbanking/clients/{clientId}`. */
export function submitOpenBankingClientRemoval(deps: ConsoleDependencies): Middleware[] {
  return [
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'DELETE', path: '/admin/v1/openbanking/clients/{clientId}', subject: clientSubject(deps) }),
    async function submitOpenBankingClientRemoval(ctx: Context) {
      try {
        await removePartner(deps, deps.revokeGrant, ctx.params['clientId']!);
      } catch (error) {
        if (error instanceof ObAdminNotFound) ctx.throw(404, 'There is no such Open Banking client: it may have been removed already.');
        throw error;
      }
      ctx.status = 303;
      ctx.redirect('/console/open-banking?removed');
    },
  ];
}
