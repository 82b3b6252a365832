import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import type { CallerIdentity } from '../../src/gateway/upstream/caller-identity.ts';
import type { ObPermission } from '../../src/openbanking/ob-vocabulary.ts';
import { startTestBankCore, type CoreAnswer, type TestBankCore } from '../helpers/bank-core-client.ts';
import { fixedClock } from '../helpers/fixed-clock.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';
import { LEDGER, TRANSACTION_COUNT } from '../helpers/sandbox-ledger.ts';
import { storeKind } from '../helpers/store.ts';

/*
 * The bank core's Account and Transaction resources over a fixture ledger, called as the gateway
 * calls them: only the consent's accounts, Basic or Detail by its Permissions, transactions in
 * pages and within its period and the request's booking dates; every answer checked against the
 * spec's schema; and nobody without the gateway's identity for this bank core.
 */

const clock = fixedClock('2026-09-01T12:00:00Z');
const ALL: ObPermission[] = [
  'ReadAccountsDetail', 'ReadBalances', 'ReadBeneficiariesDetail', 'ReadDirectDebits', 'ReadProducts', 'ReadStandingOrdersDetail', 'ReadScheduledPaymentsDetail',
  'ReadStatementsDetail', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits', 'ReadParty', 'ReadPartyPSU', 'ReadOffers',
];
let core: TestBankCore;

before(async () => {
  core = await startTestBankCore(clock);
});
after(async () => {
  await core?.close();
});

/** Alice's consent for her two accounts, with these permissions. */
function consent(permissions: ObPermission[] = ALL, extra: Partial<CallerIdentity> = {}): Partial<CallerIdentity> {
  return { clientId: 'partner-1', customerId: LEDGER.alice, consentId: 'aac-1', accountIds: [LEDGER.current, LEDGER.savings], scopes: ['accounts'], permissions, ...extra };
}

const get = (path: string, identity: Partial<CallerIdentity> | null = consent(), headers: Record<string, string> = {}) => core.call('GET', path, { identity, headers });

function assertError(answer: CoreAnswer, status: number, error: { ErrorCode: string; Message?: string; Path?: string }): void {
  assert.equal(answer.status, status, JSON.stringify(answer.json));
  assertMatchesObSchema('account-info', 'OBErrorResponse1', answer.json);
  assert.equal(answer.json.Errors.length, 1);
  for (const [key, value] of Object.entries(error)) assert.equal(answer.json.Errors[0][key], value, key);
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
}

const transactionIds = (answer: CoreAnswer) => (answer.json.Data.Transaction as Array<{ TransactionId: string }>).map((item) => item.TransactionId);

describe(`bank core: account information (${storeKind})`, () => {
  test('GET /accounts answers the consent\'s accounts with their Detail fields, echoing the interaction id; links go where the gateway says the partner called', async () => {
    const interactionId = '4d9c2f1e-7a31-4c4b-9a7e-2f6c1d0b8e55';
    const answer = await get('/accounts', consent(), { 'x-fapi-interaction-id': interactionId });
    assert.equal(answer.status, 200);
    assertMatchesObSchema('account-info', 'OBReadAccount6', answer.json);
    assert.deepEqual(answer.json.Data.Account.map((account: { AccountId: string }) => account.AccountId), [LEDGER.current, LEDGER.savings]);
    assert.ok(answer.json.Data.Account[0].Account && answer.json.Data.Account[0].Servicer);
    assert.equal(answer.headers.get('x-fapi-interaction-id'), interactionId);
    assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.deepEqual(answer.json.Links, { Self: `${core.url}/accounts` });
    assert.deepEqual(answer.json.Meta, { TotalPages: 1 });

    const forwarded = await get(`/accounts/${LEDGER.current}`, consent(), { 'x-forwarded-host': 'gateway.example:8443', 'x-forwarded-proto': 'https', 'x-forwarded-prefix': '/open-banking/v3.1/aisp' });
    assert.equal(forwarded.json.Links.Self, `https://gateway.example:8443/open-banking/v3.1/aisp/accounts/${LEDGER.current}`);
    assert.equal(forwarded.json.Data.Account.length, 1);
  });

  test('ReadAccountsBasic leaves out the account identification and servicer', async () => {
    const answer = await get('/accounts', consent(['ReadAccountsBasic']));
    assertMatchesObSchema('account-info', 'OBReadAccount6', answer.json);
    assert.equal(answer.json.Data.Account[0].Account, undefined);
    assert.equal(answer.json.Data.Account[0].Servicer, undefined);
    assert.equal(answer.json.Data.Account[0].Nickname, 'Everyday account');
  });

  test('balances: booked and available, the overdraft as a credit line', async () => {
    const answer = await get(`/accounts/${LEDGER.current}/balances`);
    assert.equal(answer.status, 200);
    assertMatchesObSchema('account-info', 'OBReadBalance1', answer.json);
    assert.deepEqual(answer.json.Data.Balance.map((balance: { Type: string; Amount: { Amount: string } }) => [balance.Type, balance.Amount.Amount]), [['InterimBooked', '1250.75'], ['InterimAvailable', '1250.75']]);
    assert.deepEqual(answer.json.Data.Balance[1].CreditLine, [{ Included: false, Type: 'Pre-Agreed', Amount: { Amount: '500.00', Currency: 'GBP' } }]);
    const bulk = await get('/balances');
    assertMatchesObSchema('account-info', 'OBReadBalance1', bulk.json);
    assert.equal(bulk.json.Data.Balance.length, 4, 'two of each of the consent\'s accounts');
  });

  test('transactions come newest first in pages of 100, linked to each other, with the number of pages', async () => {
    const first = await get(`/accounts/${LEDGER.current}/transactions`);
    assert.equal(first.status, 200);
    assertMatchesObSchema('account-info', 'OBReadTransaction6', first.json);
    const self = `${core.url}/accounts/${LEDGER.current}/transactions`;
    assert.deepEqual(first.json.Links, { Self: self, First: self, Next: `${self}?page=2`, Last: `${self}?page=3` });
    assert.deepEqual(Object.keys(first.json.Meta), ['TotalPages', 'FirstAvailableDateTime', 'LastAvailableDateTime']);
    assert.equal(first.json.Meta.TotalPages, 3);
    assert.equal(transactionIds(first)[0], `tx-current-${String(TRANSACTION_COUNT - 1).padStart(4, '0')}`);
    const second = await get(`/accounts/${LEDGER.current}/transactions?page=2`);
    assert.deepEqual(second.json.Links, { Self: `${self}?page=2`, First: self, Prev: self, Next: `${self}?page=3`, Last: `${self}?page=3` });
    const third = await get(`/accounts/${LEDGER.current}/transactions?page=3`);
    assertMatchesObSchema('account-info', 'OBReadTransaction6', third.json);
    assert.equal(third.json.Links.Next, undefined);
    const all = [...transactionIds(first), ...transactionIds(second), ...transactionIds(third)];
    assert.equal(new Set(all).size, TRANSACTION_COUNT, 'every transaction once');
    const booked = [first, second, third].flatMap((page) => (page.json.Data.Transaction as Array<{ BookingDateTime: string }>).map((item) => Date.parse(item.BookingDateTime)));
    for (const page of [first, second, third]) {
      assert.deepEqual([Date.parse(page.json.Meta.FirstAvailableDateTime), Date.parse(page.json.Meta.LastAvailableDateTime)], [Math.min(...booked), Math.max(...booked)], 'every page says when the first and last transactions were booked');
    }
    assertError(await get(`/accounts/${LEDGER.current}/transactions?page=4`), 400, { ErrorCode: 'UK.OBIE.Field.Invalid', Path: 'page' });
    assertError(await get(`/accounts/${LEDGER.current}/transactions?page=0`), 400, { ErrorCode: 'UK.OBIE.Field.Invalid', Path: 'page' });
  });

  test('booking date filters keep the links\' query; a time zone is ignored, as the spec says; a bad date or unknown parameter is refused', async () => {
    const query = 'fromBookingDateTime=2026-03-01&toBookingDateTime=2026-03-10T00:00:00';
    const answer = await get(`/accounts/${LEDGER.current}/transactions?${query}`);
    assertMatchesObSchema('account-info', 'OBReadTransaction6', answer.json);
    const dates = (answer.json.Data.Transaction as Array<{ BookingDateTime: string }>).map((item) => item.BookingDateTime.slice(0, 10));
    assert.deepEqual(dates, ['2026-03-09', '2026-03-08', '2026-03-07', '2026-03-06', '2026-03-05', '2026-03-04', '2026-03-03', '2026-03-02', '2026-03-01']);
    assert.equal(answer.json.Links.Self, `${core.url}/accounts/${LEDGER.current}/transactions?${query}`);
    const zoned = await get(`/accounts/${LEDGER.current}/transactions?fromBookingDateTime=2026-03-01T00:00:00%2B05:00&toBookingDateTime=2026-03-10T00:00:00Z`);
    assert.deepEqual(transactionIds(zoned), transactionIds(answer));
    assertError(await get(`/accounts/${LEDGER.current}/transactions?fromBookingDateTime=yesterday`), 400, { ErrorCode: 'UK.OBIE.Field.InvalidDate', Path: 'fromBookingDateTime' });
    assertError(await get(`/accounts/${LEDGER.current}/transactions?sort=asc`), 400, { ErrorCode: 'UK.OBIE.Field.Unexpected', Path: 'sort' });
    assertError(await get(`/accounts/${LEDGER.current}/transactions?page=1&page=2`), 400, { ErrorCode: 'UK.OBIE.Field.Unexpected', Path: 'page' });
  });

  test('the consent\'s transaction period bounds what any filter asks for', async () => {
    const period = consent(ALL, { transactionPeriod: { from: '2026-08-01T00:00:00Z', to: '2026-08-05T00:00:00Z' } });
    const answer = await get(`/accounts/${LEDGER.current}/transactions?fromBookingDateTime=2026-01-01`, period);
    assert.deepEqual((answer.json.Data.Transaction as Array<{ BookingDateTime: string }>).map((item) => item.BookingDateTime.slice(0, 10)), ['2026-08-04', '2026-08-03', '2026-08-02', '2026-08-01']);
    const narrower = await get(`/accounts/${LEDGER.current}/transactions?fromBookingDateTime=2026-08-03`, period);
    for (const { json } of [answer, narrower]) {
      assertMatchesObSchema('account-info', 'OBReadTransaction6', json);
      assert.deepEqual([json.Meta.FirstAvailableDateTime.slice(0, 10), json.Meta.LastAvailableDateTime.slice(0, 10)], ['2026-08-01', '2026-08-04'], 'what the consent makes available, whatever the request\'s own dates');
    }
  });

  test('a credits-only consent sees only credits, counted in its pages; Basic drops the Detail fields', async () => {
    const credits = await get(`/accounts/${LEDGER.current}/transactions`, consent(['ReadTransactionsBasic', 'ReadTransactionsCredits']));
    assertMatchesObSchema('account-info', 'OBReadTransaction6', credits.json);
    assert.equal(credits.json.Meta.TotalPages, 2);
    assert.ok(credits.json.Data.Transaction.every((item: Record<string, unknown>) => item['CreditDebitIndicator'] === 'Credit' && item['Balance'] === undefined && item['TransactionInformation'] === undefined && item['DebtorAccount'] === undefined));
    const debits = await get(`/transactions?page=2`, consent(['ReadTransactionsDetail', 'ReadTransactionsDebits']));
    assert.ok(debits.json.Data.Transaction.every((item: Record<string, unknown>) => item['CreditDebitIndicator'] === 'Debit' && item['Balance'] !== undefined));
  });

  test('every other resource answers in its schema, per account and in bulk; offers and statement files are not offered', async () => {
    const schemas: Array<[string, string]> = [
      ['/beneficiaries', 'OBReadBeneficiary5'], ['/direct-debits', 'OBReadDirectDebit2'], ['/standing-orders', 'OBReadStandingOrder6'],
      ['/scheduled-payments', 'OBReadScheduledPayment3'], ['/statements', 'OBReadStatement2'], ['/products', 'OBReadProduct2'],
    ];
    for (const [path, schema] of schemas) {
      for (const url of [path, `/accounts/${LEDGER.current}${path === '/products' ? '/product' : path}`]) {
        const answer = await get(url);
        assert.equal(answer.status, 200, `${url}: ${JSON.stringify(answer.json)}`);
        assertMatchesObSchema('account-info', schema, answer.json);
        assert.ok(Object.values(answer.json.Data as Record<string, unknown[]>)[0]!.length >= 1, url);
      }
    }
    const party = await get('/party');
    assertMatchesObSchema('account-info', 'OBReadParty2', party.json);
    assert.equal(party.json.Data.Party.PartyId, 'party-alice');
    assertMatchesObSchema('account-info', 'OBReadParty2', (await get(`/accounts/${LEDGER.current}/party`)).json);
    assertMatchesObSchema('account-info', 'OBReadParty3', (await get(`/accounts/${LEDGER.current}/parties`)).json);
    const statement = await get(`/accounts/${LEDGER.current}/statements/${LEDGER.statement}`);
    assertMatchesObSchema('account-info', 'OBReadStatement2', statement.json);
    const listed = await get(`/accounts/${LEDGER.current}/statements/${LEDGER.statement}/transactions`);
    assertMatchesObSchema('account-info', 'OBReadTransaction6', listed.json);
    assert.equal(listed.json.Data.Transaction.length, 40);
    const none = await get(`/accounts/${LEDGER.current}/statements?fromStatementDateTime=2026-03-01`);
    assert.deepEqual(none.json.Data.Statement, []);
    assertError(await get(`/accounts/${LEDGER.current}/statements/stmt-missing`), 404, { ErrorCode: 'UK.OBIE.Resource.NotFound' });
    assertError(await get(`/accounts/${LEDGER.current}/statements/${LEDGER.statement}/file`), 404, { ErrorCode: 'UK.OBIE.Resource.NotFound', Message: 'This bank does not offer this resource' });
    assertError(await get('/offers'), 404, { ErrorCode: 'UK.OBIE.Resource.NotFound' });
    const basic = await get('/statements', consent(['ReadStatementsBasic']));
    assert.equal(basic.json.Data.Statement[0].StatementAmount, undefined, 'ReadStatementsBasic hides the amounts');
  });

  test('another customer\'s account, a permission the consent lacks, or an identity of no account consent: 403; an account the bank does not hold: 404', async () => {
    assertError(await get(`/accounts/${LEDGER.bobs}`), 403, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message: 'The account is not one the customer chose for this consent' });
    assertError(await get('/balances', consent(['ReadAccountsDetail'])), 403, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message: 'The consent\'s Permissions do not cover this resource: it needs ReadBalances' });
    assertError(await get('/accounts', { clientId: 'partner-1', scopes: ['payments'], consentId: 'pc-1', accountIds: [LEDGER.current] }), 403, { ErrorCode: 'UK.OBIE.Resource.ConsentMismatch' });
    assertError(await get('/accounts/acc-unknown', consent(ALL, { accountIds: ['acc-unknown'] })), 404, { ErrorCode: 'UK.OBIE.Resource.NotFound' });
    const posted = await core.call('POST', '/accounts', { identity: consent(), body: {} });
    assertError(posted, 405, { ErrorCode: 'UK.OBIE.Resource.InvalidFormat' });
    assert.equal(posted.headers.get('allow'), 'HEAD, GET');
    assertError(await get('/loans'), 404, { ErrorCode: 'UK.OBIE.Resource.NotFound' });
  });

  test('nobody but the gateway: no identity, another audience, another signer, expired, or not a JWT is 401 before any route', async () => {
    assertError(await get('/accounts', null), 401, { ErrorCode: 'UK.OBIE.Header.Missing', Path: 'x-portcullis-identity' });
    assertError(await get('/loans', null), 401, { ErrorCode: 'UK.OBIE.Header.Missing' });
    const refused = { ErrorCode: 'UK.OBIE.Header.Invalid', Path: 'x-portcullis-identity' };
    assertError(await core.call('GET', '/accounts', { identity: consent(), signing: { audience: 'http://127.0.0.1:1' } }), 401, refused);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assertError(await core.call('GET', '/accounts', { identity: consent(), signing: { key: stranger.privateKey } }), 401, refused);
    assertError(await core.call('GET', '/accounts', { identity: consent(), signing: { issuer: 'https://other.example' } }), 401, refused);
    const old = core.sign({ apiId: 'api-ob', routeId: 'route-ob', ...consent(), clientId: 'partner-old' }, { clock: fixedClock('2026-09-01T11:58:00Z') });
    assertError(await core.call('GET', '/accounts', { raw: old }), 401, refused);
    assertError(await core.call('GET', '/accounts', { raw: 'not-a-jwt' }), 401, refused);
  });
});
