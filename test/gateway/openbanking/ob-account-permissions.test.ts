import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { filterObResponse } from '../../../src/gateway/openbanking/filter-ob-response.ts';
import { describeRule, meetsRule, OB_ACCOUNT_RESOURCES } from '../../../src/gateway/openbanking/ob-account-permissions.ts';

const spec = JSON.parse(readFileSync(new URL('../../specs/ob-read-write/v3.1.11/account-info-openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, unknown> };

test('every account and transaction resource of the v3.1.11 spec has a rule, and nothing else does', () => {
  const resources = Object.keys(spec.paths).filter((path) => !path.startsWith('/account-access-consents'));
  assert.deepEqual([...OB_ACCOUNT_RESOURCES.keys()].sort(), resources.sort());
});

test('transactions need Basic or Detail, and Credits and/or Debits', () => {
  const rule = OB_ACCOUNT_RESOURCES.get('/accounts/{AccountId}/transactions')!.rule;
  assert.equal(meetsRule(new Set(['ReadTransactionsBasic', 'ReadTransactionsCredits']), rule), true);
  assert.equal(meetsRule(new Set(['ReadTransactionsDetail', 'ReadTransactionsDebits', 'ReadTransactionsCredits']), rule), true);
  assert.equal(meetsRule(new Set(['ReadTransactionsBasic']), rule), false, 'neither credits nor debits');
  assert.equal(meetsRule(new Set(['ReadTransactionsCredits', 'ReadTransactionsDebits']), rule), false, 'neither Basic nor Detail');
  assert.equal(describeRule(rule), 'ReadTransactionsBasic or ReadTransactionsDetail, and ReadTransactionsCredits or ReadTransactionsDebits');
  assert.equal(meetsRule(new Set(['ReadPartyPSU']), OB_ACCOUNT_RESOURCES.get('/party')!.rule), true);
  assert.equal(meetsRule(new Set(['ReadParty']), OB_ACCOUNT_RESOURCES.get('/party')!.rule), false, "the account's party is not the customer's own");
});

const transactions = {
  Data: {
    Transaction: [
      { AccountId: 'a1', TransactionId: 't1', CreditDebitIndicator: 'Credit', TransactionInformation: 'Salary', Balance: { Amount: { Amount: '10.00' } }, Amount: { Amount: '5.00', Currency: 'GBP' } },
      { AccountId: 'a1', TransactionId: 't2', CreditDebitIndicator: 'Debit', TransactionInformation: 'Coffee', Amount: { Amount: '2.00', Currency: 'GBP' } },
      { AccountId: 'a2', TransactionId: 't3', CreditDebitIndicator: 'Credit', TransactionInformation: 'Not chosen', Amount: { Amount: '1.00', Currency: 'GBP' } },
    ],
  },
  Links: { Self: 'https://bank.example/open-banking/v3.1/aisp/transactions' },
  Meta: { TotalPages: 1 },
};

test('the response keeps the chosen accounts only, credits only for a credits consent, and no Detail fields under Basic', () => {
  const policy = OB_ACCOUNT_RESOURCES.get('/transactions')!;
  const filtered = filterObResponse(transactions, policy, { permissions: new Set(['ReadTransactionsBasic', 'ReadTransactionsCredits']), accountIds: new Set(['a1']) }) as typeof transactions;
  assert.deepEqual(filtered.Data.Transaction, [{ AccountId: 'a1', TransactionId: 't1', CreditDebitIndicator: 'Credit', Amount: { Amount: '5.00', Currency: 'GBP' } }]);
  assert.deepEqual(filtered.Links, transactions.Links);
  const detail = filterObResponse(transactions, policy, { permissions: new Set(['ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits']), accountIds: new Set(['a1', 'a2']) }) as typeof transactions;
  assert.deepEqual(detail.Data.Transaction, transactions.Data.Transaction, 'Detail with both sees everything chosen');
  assert.equal(detail, transactions, 'with nothing to cut, the very body given comes back (its bytes are sent as the bank core sent them)');
  const basic = filterObResponse(transactions, policy, { permissions: new Set(['ReadTransactionsBasic', 'ReadTransactionsCredits', 'ReadTransactionsDebits']), accountIds: new Set(['a1', 'a2']) }) as typeof transactions;
  assert.notEqual(basic, transactions, 'a Detail field to drop is a change');
  assert.equal(basic.Data.Transaction[1]!.TransactionInformation, undefined);
  assert.equal(transactions.Data.Transaction[1]!.TransactionInformation, 'Coffee', 'the body given is never changed');
});

test('what is not an OB Data list passes unchanged', () => {
  const policy = OB_ACCOUNT_RESOURCES.get('/accounts')!;
  for (const body of [null, 'text', { Data: null }, { Data: { Account: 'x' } }, [1, 2]]) {
    assert.deepEqual(filterObResponse(body, policy, { permissions: new Set(), accountIds: new Set() }), body);
  }
});
