/**
 * The upstream's fixed answer: an Open Banking `GET /accounts` body of about 1.5 KB listing the
 * sandbox customer's accounts, so that the FAPI side's consent filter keeps every record and all
 * sides carry the same bytes.
 */
export function obAccountsBody(accountIds: string[], selfUrl: string): string {
  const accounts = accountIds.map((accountId, index) => ({
    AccountId: accountId,
    Status: 'Enabled',
    StatusUpdateDateTime: '2026-01-15T09:30:00+00:00',
    Currency: 'GBP',
    AccountType: 'Personal',
    AccountSubType: index === 0 ? 'CurrentAccount' : 'Savings',
    Nickname: index === 0 ? 'Everyday account' : 'Rainy day savings',
    OpeningDate: '2019-03-01T00:00:00+00:00',
    Account: [{ SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `0400041234567${index}`, Name: 'Alice Carter', SecondaryIdentification: `ROLL-${1000 + index}` }],
    Servicer: { SchemeName: 'UK.OBIE.BICFI', Identification: 'PCULGB2LXXX' },
  }));
  const body = { Data: { Account: accounts }, Links: { Self: selfUrl }, Meta: { TotalPages: 1, FirstAvailableDateTime: '2019-03-01T00:00:00+00:00', LastAvailableDateTime: '2026-12-01T00:00:00+00:00' } };
  const text = JSON.stringify(body);
  // Pad with a Meta note so that every run's body is the size the issue names, whatever the ids.
  const padding = Math.max(0, 1536 - text.length - ',"Note":""'.length);
  return JSON.stringify({ ...body, Meta: { ...body.Meta, Note: 'x'.repeat(padding) } });
}
