import type { Knex } from 'knex';
import type { Middleware } from 'koa';

import { filterObResponse } from '../../../src/gateway/openbanking/filter-ob-response.ts';
import { OB_ACCOUNT_RESOURCES } from '../../../src/gateway/openbanking/ob-account-permissions.ts';
import { ObError } from '../../../src/openbanking/ob-error.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import { readResponse } from '../ob-read-response.ts';
import { settleDuePayments } from '../payments/settle-payments.ts';
import { accountAccess } from './account-access.ts';
import { ACCOUNT_READERS } from './account-reads.service.ts';
import { findAccounts } from './ledger-reads.store.ts';

/**
 * `GET <template>` of the Account and Transaction API: what the consent allows of the resource
 * (its accounts, settled up to now, then cut to its Permissions with the gateway's own filter:
 * Basic permissions drop the Detail fields, a credits-only consent sees no debits).
 */
export function readAccountResource(deps: { db: Knex; clock: Clock }, template: string): Middleware {
  const policy = OB_ACCOUNT_RESOURCES.get(template);
  const reader = ACCOUNT_READERS.get(template);
  if (!policy || !reader) throw new Error(`no account resource ${template}`);
  return async function readAccountResource(ctx) {
    const call = ctx.state.bankCore!;
    const pathAccountId = ctx.params['AccountId'];
    const access = accountAccess(call.identity, policy, pathAccountId);
    if (pathAccountId !== undefined && (await findAccounts(deps.db, [pathAccountId])).length === 0) {
      throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `No account ${pathAccountId} is held at this bank` }]);
    }
    await settleDuePayments(deps, { accountIds: access.accountIds });
    const { data, paging } = await reader(deps.db, { access, params: ctx.params, query: ctx.query });
    ctx.body = filterObResponse(readResponse(`${call.linkBase}${ctx.path}${ctx.search}`, data, paging), policy, access.consent);
  };
}
