import { startUpstreamServer, type UpstreamServer } from './upstream-server.ts';

/*
 * A bank core behind the gateway's Open Banking APIs, answering in the Read/Write API's shapes. It
 * answers as a careless core would: every account it holds, whatever the consent says, with every
 * Detail field, so that what reaches the partner is what the gateway let through.
 */

/** Alice's two accounts (the sandbox's), and one of another customer's. */
export const ACCOUNTS = { current: 'acc-0001-current', savings: 'acc-0001-savings', bobs: 'acc-0002-current' } as const;

const HOLDINGS = [
  { id: ACCOUNTS.current, nickname: 'Everyday account', identification: '04000412345678', name: 'Alice Carter' },
  { id: ACCOUNTS.savings, nickname: 'Rainy day savings', identification: '04000487654321', name: 'Alice Carter' },
  { id: ACCOUNTS.bobs, nickname: 'Current account', identification: '04000455501234', name: 'Bob Mensah' },
];

const SERVICER = { SchemeName: 'UK.OBIE.BICFI', Identification: 'PCBKGB2L' };

function account(holding: (typeof HOLDINGS)[number]) {
  return {
    AccountId: holding.id, Currency: 'GBP', AccountType: 'Personal', AccountSubType: 'CurrentAccount', Nickname: holding.nickname,
    Account: [{ SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: holding.identification, Name: holding.name }],
    Servicer: SERVICER,
  };
}

function balance(accountId: string) {
  return { AccountId: accountId, CreditDebitIndicator: 'Credit', Type: 'InterimAvailable', DateTime: '2025-03-01T09:00:00+00:00', Amount: { Amount: '1250.75', Currency: 'GBP' } };
}

function transactions(accountId: string) {
  const common = { AccountId: accountId, Status: 'Booked', BookingDateTime: '2025-03-01T09:00:00+00:00' };
  return [
    {
      ...common, TransactionId: `${accountId}-t1`, CreditDebitIndicator: 'Credit', Amount: { Amount: '2100.00', Currency: 'GBP' }, TransactionInformation: 'Salary March',
      DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '20000011112222', Name: 'Acme Employer Ltd' },
      Balance: { CreditDebitIndicator: 'Credit', Type: 'InterimBooked', Amount: { Amount: '3350.75', Currency: 'GBP' } },
    },
    {
      ...common, TransactionId: `${accountId}-t2`, CreditDebitIndicator: 'Debit', Amount: { Amount: '42.10', Currency: 'GBP' }, TransactionInformation: 'Card payment, Fresco Foods',
      MerchantDetails: { MerchantName: 'Fresco Foods', MerchantCategoryCode: '5411' },
      Balance: { CreditDebitIndicator: 'Credit', Type: 'InterimBooked', Amount: { Amount: '3308.65', Currency: 'GBP' } },
    },
  ];
}

const read = (path: string, data: Record<string, unknown>) => ({ Data: data, Links: { Self: `https://bank-core.example${path}` }, Meta: { TotalPages: 1 } });

/**
 * Starts the bank core: `GET` (and `HEAD`) `/accounts`, `/accounts/{AccountId}`, `…/balances` and
 * `…/transactions` (for every account in `ACCOUNTS`), and `POST /domestic-payments` (made at once,
 * its id `dp-<ConsentId>`); anything else is 404.
 */
export function startObBankUpstream(): Promise<UpstreamServer> {
  return startUpstreamServer((request, res) => {
    res.setHeader('content-type', 'application/json');
    const path = request.url.split('?')[0]!;
    const [, collection, accountId, resource, extra] = path.split('/');
    const holding = HOLDINGS.find((candidate) => candidate.id === accountId);
    let body: unknown;
    // HEAD as GET: Node sends the headers and no body.
    if ((request.method === 'GET' || request.method === 'HEAD') && collection === 'accounts' && extra === undefined) {
      if (accountId === undefined) body = read(path, { Account: HOLDINGS.map(account) });
      else if (holding && resource === undefined) body = read(path, { Account: [account(holding)] });
      else if (holding && resource === 'balances') body = read(path, { Balance: [balance(holding.id)] });
      else if (holding && resource === 'transactions') body = read(path, { Transaction: transactions(holding.id) });
    }
    if (request.method === 'POST' && path === '/domestic-payments') {
      const { ConsentId, Initiation } = (JSON.parse(request.body) as { Data: { ConsentId: string; Initiation: unknown } }).Data;
      res.statusCode = 201;
      body = {
        Data: { DomesticPaymentId: `dp-${ConsentId}`, ConsentId, Status: 'AcceptedSettlementInProcess', CreationDateTime: '2025-03-01T09:00:00+00:00', StatusUpdateDateTime: '2025-03-01T09:00:00+00:00', Initiation },
        Links: { Self: `https://bank-core.example/domestic-payments/dp-${ConsentId}` }, Meta: {},
      };
    }
    if (body === undefined) {
      res.statusCode = 404;
      body = { Code: '404 NotFound', Id: 'core', Message: 'No such resource', Errors: [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: 'No such resource' }] };
    }
    res.end(JSON.stringify(body));
  });
}
