import assert from 'node:assert/strict';
import { test } from 'node:test';

import { obBodyValidator } from '../../src/openbanking/ob-body-validator.ts';
import { ObError, type ObErrorDetail } from '../../src/openbanking/ob-error.ts';
import type {
  ObFundsConfirmationConsent1,
  ObReadConsent1,
  ObWriteDomesticConsent4,
  ObWriteDomesticScheduledConsent4,
  ObWriteDomesticStandingOrderConsent5,
} from '../../src/openbanking/ob-request.types.ts';
import { assertMatchesObSchema } from '../helpers/ob-schema.ts';

const validateReadConsent = obBodyValidator<ObReadConsent1>('account-info', 'OBReadConsent1');
const validateFundsConsent = obBodyValidator<ObFundsConfirmationConsent1>('confirmation-funds', 'OBFundsConfirmationConsent1');
const validateDomesticConsent = obBodyValidator<ObWriteDomesticConsent4>('payment-initiation', 'OBWriteDomesticConsent4');
const validateScheduledConsent = obBodyValidator<ObWriteDomesticScheduledConsent4>('payment-initiation', 'OBWriteDomesticScheduledConsent4');
const validateStandingOrderConsent = obBodyValidator<ObWriteDomesticStandingOrderConsent5>('payment-initiation', 'OBWriteDomesticStandingOrderConsent5');

// Shaped like the examples of the Read/Write API v3.1.11 specification pages. Typed with the
// hand-written interfaces, so a field the interfaces lack or misname fails the typecheck.
const readConsent: ObReadConsent1 = {
  Data: {
    Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'],
    ExpirationDateTime: '2030-05-02T00:00:00+00:00',
    TransactionFromDateTime: '2029-05-03T00:00:00+00:00',
    TransactionToDateTime: '2030-12-03T00:00:00+00:00',
  },
  Risk: {},
};

const fundsConsent: ObFundsConfirmationConsent1 = {
  Data: {
    ExpirationDateTime: '2030-05-02T00:00:00+00:00',
    DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '40400411290112', Name: 'Mrs B Smith' },
  },
};

const creditor = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '08080021325698', Name: 'ACME Inc', SecondaryIdentification: '0002' };
const debtor = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '11280001234567', Name: 'Andrea Smith' };
const risk = {
  PaymentContextCode: 'EcommerceGoods',
  MerchantCategoryCode: '5967',
  MerchantCustomerIdentification: '053598653254',
  DeliveryAddress: { AddressLine: ['Flat 7', 'Acacia Lodge'], StreetName: 'Acacia Avenue', BuildingNumber: '27', PostCode: 'GU31 2ZZ', TownName: 'Sparsholt', Country: 'GB' },
};

const domesticConsent: ObWriteDomesticConsent4 = {
  Data: {
    ReadRefundAccount: 'Yes',
    Initiation: {
      InstructionIdentification: 'ACME412',
      EndToEndIdentification: 'FRESCO.21302.GFX.20',
      LocalInstrument: 'UK.OBIE.FPS',
      InstructedAmount: { Amount: '165.88', Currency: 'GBP' },
      DebtorAccount: debtor,
      CreditorAccount: creditor,
      CreditorPostalAddress: { AddressType: 'Business', StreetName: 'Bank Street', BuildingNumber: '1', PostCode: 'E14 5AB', TownName: 'London', Country: 'GB', AddressLine: ['Floor 3'] },
      RemittanceInformation: { Reference: 'FRESCO-101', Unstructured: 'Internal ops code 5120101' },
      SupplementaryData: { anything: { the: 'TPP sends' } },
    },
    Authorisation: { AuthorisationType: 'Single', CompletionDateTime: '2030-05-02T00:00:00.000Z' },
    SCASupportData: { RequestedSCAExemptionType: 'EcommerceGoods', AppliedAuthenticationApproach: 'SCA', ReferencePaymentOrderId: 'pmt-001' },
  },
  Risk: risk,
};

const scheduledConsent: ObWriteDomesticScheduledConsent4 = {
  Data: {
    Permission: 'Create',
    Initiation: {
      InstructionIdentification: 'ACME412',
      RequestedExecutionDateTime: '2030-04-05T10:43:07+01:00',
      InstructedAmount: { Amount: '165.88', Currency: 'GBP' },
      CreditorAccount: creditor,
      RemittanceInformation: { Reference: 'FRESCO-101' },
    },
  },
  Risk: risk,
};

const standingOrderConsent: ObWriteDomesticStandingOrderConsent5 = {
  Data: {
    Permission: 'Create',
    ReadRefundAccount: 'No',
    Initiation: {
      Frequency: 'IntrvlMnthDay:01:15',
      Reference: 'Pocket money for Damien',
      NumberOfPayments: '12',
      FirstPaymentDateTime: '2030-06-15T06:06:06+00:00',
      FinalPaymentDateTime: '2031-05-15T06:06:06+00:00',
      FirstPaymentAmount: { Amount: '6.66', Currency: 'GBP' },
      RecurringPaymentAmount: { Amount: '7.00', Currency: 'GBP' },
      FinalPaymentAmount: { Amount: '7.00', Currency: 'GBP' },
      DebtorAccount: debtor,
      CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '08080021325698', Name: 'Bob Clements' },
    },
  },
  Risk: {},
};

/** The `Errors` the validator throws; each must be a valid OBError1 of the (test) spec. */
function errorsOf(validate: (body: unknown) => unknown, body: unknown): readonly ObErrorDetail[] {
  try {
    validate(body);
  } catch (error) {
    assert.ok(error instanceof ObError, 'throws an ObError');
    assert.equal(error.status, 400);
    for (const detail of error.errors) assertMatchesObSchema('account-info', 'OBError1', detail);
    return error.errors;
  }
  assert.fail('the body was accepted');
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

test('the spec-shaped body of each consent passes and comes back as it was sent', () => {
  assert.equal(validateReadConsent(readConsent), readConsent);
  assert.equal(validateFundsConsent(fundsConsent), fundsConsent);
  assert.equal(validateDomesticConsent(domesticConsent), domesticConsent);
  assert.equal(validateScheduledConsent(scheduledConsent), scheduledConsent);
  assert.equal(validateStandingOrderConsent(standingOrderConsent), standingOrderConsent);
});

test('the smallest valid bodies pass: optional fields may be left out', () => {
  validateReadConsent({ Data: { Permissions: ['ReadAccountsBasic'] }, Risk: {} });
  validateFundsConsent({ Data: { DebtorAccount: { SchemeName: 'UK.OBIE.IBAN', Identification: 'GB29NWBK60161331926819' } } });
  validateStandingOrderConsent({
    Data: {
      Permission: 'Create',
      Initiation: { Frequency: 'EvryDay', FirstPaymentDateTime: '2030-06-15T06:06:06Z', FirstPaymentAmount: { Amount: '1', Currency: 'GBP' }, CreditorAccount: creditor },
    },
    Risk: {},
  });
});

test('a missing Data is UK.OBIE.Field.Missing at Path Data', () => {
  assert.deepEqual(errorsOf(validateReadConsent, { Risk: {} }), [{ ErrorCode: 'UK.OBIE.Field.Missing', Message: 'Data is missing', Path: 'Data' }]);
});

test('missing nested fields are each reported with their dotted path', () => {
  const body = copy(domesticConsent) as unknown as { Data: { Initiation: Record<string, unknown> } };
  body.Data.Initiation.InstructedAmount = { Amount: '10.00' };
  delete body.Data.Initiation.CreditorAccount;
  assert.deepEqual(errorsOf(validateDomesticConsent, body), [
    { ErrorCode: 'UK.OBIE.Field.Missing', Message: 'Data.Initiation.CreditorAccount is missing', Path: 'Data.Initiation.CreditorAccount' },
    { ErrorCode: 'UK.OBIE.Field.Missing', Message: 'Data.Initiation.InstructedAmount.Currency is missing', Path: 'Data.Initiation.InstructedAmount.Currency' },
  ]);
});

test('an unknown permission is UK.OBIE.Field.Invalid at its index', () => {
  const [error, ...others] = errorsOf(validateReadConsent, { Data: { Permissions: ['ReadAccountsBasic', 'ReadBalances', 'ReadEverything'] }, Risk: {} });
  assert.deepEqual(others, []);
  assert.equal(error?.ErrorCode, 'UK.OBIE.Field.Invalid');
  assert.equal(error?.Path, 'Data.Permissions[2]');
  assert.match(error?.Message ?? '', /^Data\.Permissions\[2\] must be one of ReadAccountsBasic, ReadAccountsDetail, .*, ReadTransactionsDetail$/);
});

test('a value of the wrong type is one error, not one per keyword it fails', () => {
  // 42 fails both `type: string` and the enum; the TPP needs to hear it once.
  assert.deepEqual(errorsOf(validateReadConsent, { Data: { Permissions: [42] }, Risk: {} }), [
    { ErrorCode: 'UK.OBIE.Field.Invalid', Message: 'Data.Permissions[0] must be string', Path: 'Data.Permissions[0]' },
  ]);
  assert.deepEqual(errorsOf(validateReadConsent, { Data: { Permissions: [] }, Risk: {} }), [
    { ErrorCode: 'UK.OBIE.Field.Invalid', Message: 'Data.Permissions must NOT have fewer than 1 items', Path: 'Data.Permissions' },
  ]);
});

test('an amount that is not a decimal string is UK.OBIE.Field.Invalid, naming the pattern', () => {
  for (const Amount of ['10,00', '1.123456', '-5', '', '12345678901234']) {
    const body = copy(domesticConsent);
    body.Data.Initiation.InstructedAmount.Amount = Amount;
    assert.deepEqual(errorsOf(validateDomesticConsent, body), [
      {
        ErrorCode: 'UK.OBIE.Field.Invalid',
        Message: 'Data.Initiation.InstructedAmount.Amount must match pattern ^\\d{1,13}$|^\\d{1,13}\\.\\d{1,5}$',
        Path: 'Data.Initiation.InstructedAmount.Amount',
      },
    ], Amount);
  }
});

test('other field rules (length, enum, pattern) are UK.OBIE.Field.Invalid', () => {
  const body = copy(domesticConsent);
  body.Data.Initiation.InstructionIdentification = 'x'.repeat(36);
  body.Data.Initiation.InstructedAmount.Currency = 'gbp';
  (body.Data as { ReadRefundAccount: string }).ReadRefundAccount = 'Maybe';
  assert.deepEqual(errorsOf(validateDomesticConsent, body), [
    { ErrorCode: 'UK.OBIE.Field.Invalid', Message: 'Data.ReadRefundAccount must be one of No, Yes', Path: 'Data.ReadRefundAccount' },
    { ErrorCode: 'UK.OBIE.Field.Invalid', Message: 'Data.Initiation.InstructionIdentification must NOT have more than 35 characters', Path: 'Data.Initiation.InstructionIdentification' },
    { ErrorCode: 'UK.OBIE.Field.Invalid', Message: 'Data.Initiation.InstructedAmount.Currency must match pattern ^[A-Z]{3,3}$', Path: 'Data.Initiation.InstructedAmount.Currency' },
  ]);
});

test('a date-time that is not RFC 3339 with a time zone is UK.OBIE.Field.InvalidDate', () => {
  const invalidDate = (path: string): ObErrorDetail => ({
    ErrorCode: 'UK.OBIE.Field.InvalidDate',
    Message: `${path} must be a date-time with a time zone, such as 2017-04-05T10:43:07+00:00`,
    Path: path,
  });
  for (const ExpirationDateTime of ['2030-05-02T00:00:00', '2030-02-30T00:00:00+00:00', '2030-05-02', '02/05/2030 00:00', '2030-05-02T25:00:00Z', 'tomorrow']) {
    assert.deepEqual(errorsOf(validateReadConsent, { Data: { Permissions: ['ReadBalances'], ExpirationDateTime }, Risk: {} }), [invalidDate('Data.ExpirationDateTime')], ExpirationDateTime);
  }
  const body = copy(standingOrderConsent);
  body.Data.Initiation.FirstPaymentDateTime = '2030-06-15';
  assert.deepEqual(errorsOf(validateStandingOrderConsent, body), [invalidDate('Data.Initiation.FirstPaymentDateTime')]);
});

test('date-times with Z, an offset or fractions of a second pass', () => {
  for (const ExpirationDateTime of ['2030-05-02T00:00:00Z', '2030-05-02T00:00:00.123+01:00', '2030-05-02T23:59:59-05:00', '2032-02-29T12:00:00+00:00']) {
    validateReadConsent({ Data: { Permissions: ['ReadBalances'], ExpirationDateTime }, Risk: {} });
  }
});

test('a property the schema closes off (additionalProperties: false) is UK.OBIE.Field.Unexpected', () => {
  // OBReadConsent1 is closed at the top and OBRisk2 is an empty closed object.
  assert.deepEqual(errorsOf(validateReadConsent, { ...readConsent, Links: {}, Risk: { PaymentContextCode: 'Other' } }), [
    { ErrorCode: 'UK.OBIE.Field.Unexpected', Message: 'Links is not allowed here', Path: 'Links' },
    { ErrorCode: 'UK.OBIE.Field.Unexpected', Message: 'Risk.PaymentContextCode is not allowed here', Path: 'Risk.PaymentContextCode' },
  ]);
  // The payment schemas are closed at every level but SupplementaryData.
  const body = copy(domesticConsent) as unknown as { Data: { Initiation: { InstructedAmount: Record<string, unknown> } }; Risk: Record<string, unknown> };
  body.Data.Initiation.InstructedAmount.Value = '1';
  body.Risk['0'] = true;
  assert.deepEqual(errorsOf(validateDomesticConsent, body), [
    { ErrorCode: 'UK.OBIE.Field.Unexpected', Message: 'Data.Initiation.InstructedAmount.Value is not allowed here', Path: 'Data.Initiation.InstructedAmount.Value' },
    { ErrorCode: 'UK.OBIE.Field.Unexpected', Message: 'Risk.0 is not allowed here', Path: 'Risk.0' },
  ]);
});

test('extra properties pass where the spec leaves an object open', () => {
  // OBReadConsent1.Data and OBFundsConfirmationConsent1.Data.DebtorAccount have no additionalProperties: false.
  validateReadConsent({ ...readConsent, Data: { ...readConsent.Data, Note: 'kept' } });
  validateFundsConsent({ Data: { DebtorAccount: { ...fundsConsent.Data.DebtorAccount, Nickname: 'Bills' } } });
});

test('a body that is not a JSON object is UK.OBIE.Resource.InvalidFormat', () => {
  for (const body of [null, undefined, [], [readConsent], 'Data', 42, true]) {
    assert.deepEqual(errorsOf(validateReadConsent, body), [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request body must be a JSON object' }], JSON.stringify(body));
  }
});

test('the list stops at 20 errors, and client-chosen names are cut to 500 characters', () => {
  const body: Record<string, unknown> = { ...readConsent };
  for (let i = 0; i < 30; i += 1) body[`Extra${i}`] = i;
  const errors = errorsOf(validateReadConsent, body);
  assert.equal(errors.length, 20);
  assert.deepEqual(errors[19], { ErrorCode: 'UK.OBIE.Field.Unexpected', Message: 'Extra19 is not allowed here', Path: 'Extra19' });

  const [long] = errorsOf(validateReadConsent, { ...readConsent, ['x'.repeat(600)]: 1 });
  assert.equal(long?.Path?.length, 500);
  assert.equal(long?.Message.length, 500);
  assert.ok(long?.Path?.endsWith('x…'));
});

test('a schema the spec does not have fails when the validator is made, not per request', () => {
  assert.throws(() => obBodyValidator('account-info', 'OBWriteDomesticConsent4'), { message: 'The account-info spec has no schema OBWriteDomesticConsent4' });
});
