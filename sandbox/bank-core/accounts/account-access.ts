import type { ConsentView } from '../../../src/gateway/openbanking/filter-ob-response.ts';
import { describeRule, meetsRule, type ResourcePolicy } from '../../../src/gateway/openbanking/ob-account-permissions.ts';
import type { CallerIdentity } from '../../../src/gateway/upstream/caller-identity.ts';
import { ObError } from '../../../src/openbanking/ob-error.ts';

/** What one account information request may read: the consent's accounts (in its order), what its Permissions show, and its transaction period. */
export interface AccountAccess {
  accountIds: readonly string[];
  consent: ConsentView;
  period: { from?: Date; to?: Date };
  customerId: string | undefined;
}

const mismatch = (Message: string) => new ObError(403, [{ ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message }]);

function dateOf(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

/**
 * The bank core's own check of an account information request, which the gateway made already
 * and the bank core does not take on trust: the identity is of an account access consent (the
 * `accounts` scope and its Permissions), whose Permissions cover the resource, and an account in
 * the path is one the customer chose.
 */
export function accountAccess(identity: CallerIdentity, policy: ResourcePolicy, pathAccountId: string | undefined): AccountAccess {
  if (!identity.scopes?.includes('accounts') || !identity.permissions || !identity.accountIds) {
    throw mismatch('The caller identity is not of an account access consent');
  }
  const permissions = new Set(identity.permissions);
  if (!meetsRule(permissions, policy.rule)) throw mismatch(`The consent's Permissions do not cover this resource: it needs ${describeRule(policy.rule)}`);
  if (pathAccountId !== undefined && !identity.accountIds.includes(pathAccountId)) throw mismatch('The account is not one the customer chose for this consent');
  const accountIds = pathAccountId === undefined ? identity.accountIds : [pathAccountId];
  const from = dateOf(identity.transactionPeriod?.from);
  const to = dateOf(identity.transactionPeriod?.to);
  return {
    accountIds,
    consent: { permissions, accountIds: new Set(accountIds) },
    period: { ...(from && { from }), ...(to && { to }) },
    customerId: identity.customerId,
  };
}
