import type { ResourcePolicy } from './ob-account-permissions.ts';

/** What the consent lets the partner see: its permissions and the accounts the customer chose. */
export interface ConsentView {
  permissions: ReadonlySet<string>;
  accountIds: ReadonlySet<string>;
}

type Record_ = Record<string, unknown>;

const isRecord = (value: unknown): value is Record_ => typeof value === 'object' && value !== null && !Array.isArray(value);

function visible(item: unknown, policy: ResourcePolicy, consent: ConsentView): boolean {
  if (!isRecord(item)) return false;
  // Bulk lists (GET /transactions) span the customer's accounts: only the chosen ones are the partner's.
  if (typeof item['AccountId'] === 'string' && !consent.accountIds.has(item['AccountId'])) return false;
  if (policy.creditDebit) {
    const credits = consent.permissions.has('ReadTransactionsCredits');
    const debits = consent.permissions.has('ReadTransactionsDebits');
    if (item['CreditDebitIndicator'] === 'Credit' && !credits) return false;
    if (item['CreditDebitIndicator'] === 'Debit' && !debits) return false;
  }
  return true;
}

function trimmed(item: Record_, hiddenFields: readonly string[]): Record_ {
  if (!hiddenFields.some((field) => field in item)) return item;
  const copy: Record_ = { ...item };
  for (const field of hiddenFields) delete copy[field];
  return copy;
}

/**
 * Step 8 for Open Banking: the upstream's answer, cut down to what the consent allows. Records
 * of accounts the customer did not choose are removed, Detail fields are dropped under a Basic
 * permission, and a consent for credits (or debits) only sees those. The bank core should already
 * answer this way; the gateway does not rely on it. Anything that is not an OB `Data` list, and a
 * list with nothing to cut, comes back as the very object given, so the caller can tell.
 */
export function filterObResponse(body: unknown, policy: ResourcePolicy, consent: ConsentView): unknown {
  if (!isRecord(body) || !isRecord(body['Data'])) return body;
  const list = body['Data'][policy.dataKey];
  if (!Array.isArray(list)) return body;
  const hidden = policy.basic && !consent.permissions.has(policy.basic.detail) ? policy.basic.hiddenFields : undefined;
  const kept = list.filter((item) => visible(item, policy, consent)).map((item) => (hidden ? trimmed(item as Record_, hidden) : item));
  if (kept.length === list.length && kept.every((item, index) => item === list[index])) return body;
  return { ...body, Data: { ...body['Data'], [policy.dataKey]: kept } };
}
