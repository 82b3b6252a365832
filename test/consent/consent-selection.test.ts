import assert from 'node:assert/strict';
import { test } from 'node:test';

import { accountChoiceFor } from '../../src/consent/authorization/consent-selection.ts';
import type { CustomerAccount } from '../../src/consent/customer-accounts.ts';
import { accountAccessBody, domesticPaymentBody } from './consent-bodies.ts';

const current: CustomerAccount = { accountId: 'acc-current', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: '04000444400981', name: 'Daniel Hughes', nickname: 'Current account', currency: 'GBP', availableBalance: '-643.18' };
const card: CustomerAccount = { accountId: 'acc-card', schemeName: 'UK.OBIE.PAN', identification: '4599900000000044', name: 'Daniel Hughes', nickname: 'Credit card', currency: 'GBP', availableBalance: '-2867.45' };

test('a card is offered to share, never to pay from', () => {
  assert.deepEqual(accountChoiceFor({ kind: 'account-access', request: accountAccessBody() }, [current, card]).options, [current, card]);
  assert.deepEqual(accountChoiceFor({ kind: 'domestic-payment', request: domesticPaymentBody() }, [current, card]), { mode: 'debtor', options: [current] });
});
