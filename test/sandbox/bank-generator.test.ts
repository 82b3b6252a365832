import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AccountRecord, BankUnit } from '../../sandbox/bank/generate/bank-unit.ts';
import { generateBank } from '../../sandbox/bank/generate/generate-bank.ts';
import { STORY_LOGINS } from '../../sandbox/bank/generate/story-customers.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';

const SPEC = { seed: 'generator-test', customers: 30, asOf: '2026-06-15' };
const bank = [...generateBank(SPEC)];
const accounts = bank.flatMap((unit) => unit.accounts);
const signed = (amount: { CreditDebitIndicator: string; Amount: { Amount: string } }) => Math.round(Number(amount.Amount.Amount) * 100) * (amount.CreditDebitIndicator === 'Debit' ? -1 : 1);
const account = (id: string) => accounts.find((candidate) => candidate.row.account_id === id)!;

test('the same seed and as-of give the same bank byte for byte; another seed, another bank with the same story customers', () => {
  assert.equal(JSON.stringify([...generateBank(SPEC)]), JSON.stringify(bank));
  const other = [...generateBank({ ...SPEC, seed: 'another seed' })];
  assert.notEqual(JSON.stringify(other), JSON.stringify(bank));
  const ids = (units: BankUnit[]) => units.flatMap((unit) => unit.accounts.map((each) => each.row.account_id));
  assert.deepEqual(ids(other).slice(0, 12), ids(bank).slice(0, 12), 'story accounts are in every bank');
  // Customer n does not depend on how many came before: a smaller bank is a prefix of a bigger one.
  assert.equal(JSON.stringify([...generateBank({ ...SPEC, customers: 10 })]), JSON.stringify(bank.slice(0, bank.length - 20)));
});

test('every account\'s running balance adds up: booked transactions in order, to the booked balance; pending ones to the available', () => {
  for (const { row, transactions } of accounts) {
    const booked = transactions.filter((transaction) => transaction.status === 'Booked');
    assert.ok(booked.length > 0, `${row.account_id} has transactions`);
    let balance = signed(booked[0]!.body['Balance'] as never) - booked[0]!.amount_minor;
    transactions.forEach((transaction, index) => {
      assert.equal(transaction.sequence, index + 1);
      if (index > 0) assert.ok(transaction.booking_at >= transactions[index - 1]!.booking_at, `${transaction.transaction_id} in booking order`);
      assert.equal(signed(transaction.body as never), transaction.amount_minor, 'the body\'s amount is the row\'s');
      if (transaction.status === 'Pending') {
        assert.equal(transaction.body['Balance'], undefined);
        return;
      }
      balance += transaction.amount_minor;
      assert.equal(signed(transaction.body['Balance'] as never), balance, `${transaction.transaction_id} balance`);
    });
    assert.equal(row.booked_minor, balance, `${row.account_id} booked balance`);
    const pending = transactions.filter((transaction) => transaction.status === 'Pending').reduce((sum, transaction) => sum + transaction.amount_minor, 0);
    assert.equal(row.available_minor, row.booked_minor + pending, `${row.account_id} available balance`);
  }
  assert.ok(accounts.some(({ transactions }) => transactions.some((transaction) => transaction.status === 'Pending')), 'some purchases are pending');
});

test('monthly statements list the booked transactions of their month, and their amounts add up', () => {
  for (const { row, transactions, resources } of accounts) {
    const statements = resources.filter((resource) => resource.kind === 'statement').map((resource) => resource.body as { StatementId: string; StartDateTime: string; EndDateTime: string; StatementAmount: { Type: string; CreditDebitIndicator: string; Amount: { Amount: string } }[] });
    assert.ok(statements.length >= 11, `${row.account_id}: a statement for each closed month`);
    for (const statement of statements) {
      const listed = transactions.filter((transaction) => transaction.statement_id === statement.StatementId);
      const amount = (type: string) => signed(statement.StatementAmount.find((each) => each.Type === `UK.OBIE.${type}`) as never);
      assert.equal(amount('PreviousClosingBalance') + amount('TotalCredits') + amount('TotalDebits'), amount('ClosingBalance'), statement.StatementId);
      assert.equal(listed.reduce((sum, transaction) => sum + transaction.amount_minor, 0), amount('TotalCredits') + amount('TotalDebits'), statement.StatementId);
      for (const transaction of listed) assert.ok(transaction.booking_at >= statement.StartDateTime && transaction.booking_at <= statement.EndDateTime, transaction.transaction_id);
    }
    const last = statements.at(-1)!;
    for (const transaction of transactions) {
      const closed = transaction.status === 'Booked' && Date.parse(transaction.booking_at) <= Date.parse(last.EndDateTime);
      assert.equal(transaction.statement_id !== null, closed, `${transaction.transaction_id}: on a statement once its month closed`);
    }
  }
});

test('the story customers keep their accounts, numbers and available balances; a joint account has both holders as parties', () => {
  assert.deepEqual(bank.flatMap((unit) => unit.customers.map((customer) => customer.username)).slice(0, STORY_LOGINS.length), STORY_LOGINS.map((login) => login.username));
  const pick = ({ row, holders }: AccountRecord) => [row.account_id, row.identification, row.available_minor, (row.body as { Nickname: string }).Nickname, holders];
  assert.deepEqual(bank[0]!.accounts.map(pick), [['acc-0001-current', '04000412345678', 125_075, 'Everyday account', ['cust-0001']], ['acc-0001-savings', '04000487654321', 840_000, 'Rainy day savings', ['cust-0001']]]);
  assert.deepEqual(bank[1]!.accounts.map(pick), [['acc-0002-current', '04000455501234', 4_210, 'Current account', ['cust-0002']]]);
  const joint = account('acc-0006-joint');
  assert.deepEqual(joint.holders, ['cust-0006', 'cust-0007']);
  assert.deepEqual(joint.resources.filter((resource) => resource.kind === 'party').map((resource) => [resource.body['PartyId'], resource.body['PartyType'], resource.body['AccountRole']]), [['party-cust-0006', 'Joint', 'UK.OBIE.Principal'], ['party-cust-0007', 'Joint', 'UK.OBIE.SecondaryOwner']]);
  assert.equal(account('acc-0004-current').row.available_minor, -64_318, 'dan is overdrawn');
  assert.equal(account('acc-0008-eur').row.currency, 'EUR');
});

test('account identifications are unique and check: sort code and account number, GB IBAN (mod 97), card number (Luhn)', () => {
  const keys = accounts.map(({ row }) => `${row.scheme_name} ${row.identification}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(new Set(accounts.flatMap(({ transactions }) => transactions.map((transaction) => transaction.transaction_id))).size, accounts.reduce((sum, each) => sum + each.transactions.length, 0));
  for (const { row } of accounts) {
    if (row.scheme_name === 'UK.OBIE.SortCodeAccountNumber') assert.match(row.identification, /^04000[45]\d{8}$/);
    if (row.scheme_name === 'UK.OBIE.IBAN') {
      const numeric = `${row.identification.slice(4)}${row.identification.slice(0, 4)}`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
      assert.equal(BigInt(numeric) % 97n, 1n, row.identification);
    }
    if (row.scheme_name === 'UK.OBIE.PAN') {
      const sum = [...row.identification].reverse().map(Number).reduce((total, digit, index) => total + (index % 2 === 1 ? (digit * 2 > 9 ? digit * 2 - 9 : digit * 2) : digit), 0);
      assert.equal(sum % 10, 0, row.identification);
    }
  }
  assert.ok(accounts.some(({ row }) => row.scheme_name === 'UK.OBIE.PAN') && accounts.some(({ row }) => row.scheme_name === 'UK.OBIE.IBAN'));
});

test('card purchases name their merchant and its ISO 18245 category code', () => {
  const card = accounts.flatMap(({ transactions }) => transactions).filter((transaction) => (transaction.body['ProprietaryBankTransactionCode'] as { Code: string }).Code === 'DEB');
  assert.ok(card.length > 100);
  for (const transaction of card) assert.match((transaction.body['MerchantDetails'] as { MerchantCategoryCode: string }).MerchantCategoryCode, /^\d{4}$/);
});

test('every body matches its Read/Write v3.1.11 schema', () => {
  const listed: Record<string, string> = { beneficiary: 'OBBeneficiary5', 'standing-order': 'OBStandingOrder6', 'scheduled-payment': 'OBScheduledPayment3', statement: 'OBStatement2', party: 'OBParty2' };
  for (const customer of bank.flatMap((unit) => unit.customers)) assertMatchesObSchema('account-info', 'OBParty2', customer.party);
  for (const { row, transactions, resources } of accounts) {
    assertMatchesObSchema('account-info', 'OBAccount6', row.body);
    assertMatchesObSchema('account-info', 'OBReadProduct2', { Data: { Product: [row.product] } });
    for (const transaction of transactions) assertMatchesObSchema('account-info', 'OBTransaction6', transaction.body);
    for (const resource of resources) {
      if (resource.kind === 'direct-debit') assertMatchesObSchema('account-info', 'OBReadDirectDebit2', { Data: { DirectDebit: [resource.body] } });
      else assertMatchesObSchema('account-info', listed[resource.kind]!, resource.body);
    }
  }
  const kinds = new Set(accounts.flatMap(({ resources }) => resources.map((resource) => resource.kind)));
  assert.deepEqual([...kinds].sort(), ['beneficiary', 'direct-debit', 'party', 'scheduled-payment', 'standing-order', 'statement']);
});
