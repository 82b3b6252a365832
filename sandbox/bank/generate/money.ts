/** An OB amount object (ActiveOrHistoricCurrencyAndAmount) of an unsigned number of minor units. */
export interface ObAmount {
  Amount: string;
  Currency: string;
}

/** 12345 → "123.45": OB amounts are unsigned decimal strings, the sign goes in CreditDebitIndicator. */
export function decimalOf(minor: number): string {
  const units = Math.abs(minor);
  return `${Math.floor(units / 100)}.${String(units % 100).padStart(2, '0')}`;
}

/** -64318 → "-643.18": a balance as a signed decimal string, for those who read it as one number. */
export function signedDecimalOf(minor: number): string {
  return `${minor < 0 ? '-' : ''}${decimalOf(minor)}`;
}

export function amountOf(minor: number, currency: string): ObAmount {
  return { Amount: decimalOf(minor), Currency: currency };
}

/** Credits are positive, debits negative; zero is a credit balance, as OB reports it. */
export function creditDebitOf(minor: number): 'Credit' | 'Debit' {
  return minor < 0 ? 'Debit' : 'Credit';
}
