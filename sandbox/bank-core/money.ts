/*
 * Amounts as the ledger keeps them (minor units, 1/100 of GBP or EUR, as bigints) and as the
 * Read/Write API writes them (OBActiveCurrencyAndAmount_SimpleType: a decimal string, up to 13
 * digits and 5 decimals, the sign carried by a CreditDebitIndicator instead).
 */

const AMOUNT = /^(\d{1,13})(?:\.(\d{1,5}))?$/;

/** `"12.5"` → `1250n`; undefined when it is not an OB amount or has a fraction of a penny or cent. */
export function toMinor(amount: string): bigint | undefined {
  const match = AMOUNT.exec(amount);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').padEnd(5, '0');
  if (fraction.slice(2) !== '000') return undefined;
  return BigInt(match[1]!) * 100n + BigInt(fraction.slice(0, 2));
}

/** `-1250n` → `"12.50"`: the magnitude, as OB writes it. */
export function formatMinor(minor: bigint): string {
  const magnitude = minor < 0n ? -minor : minor;
  return `${magnitude / 100n}.${String(magnitude % 100n).padStart(2, '0')}`;
}

/** Credit for zero or more, Debit below zero (OBCreditDebitCode). */
export function indicatorOf(minor: bigint): 'Credit' | 'Debit' {
  return minor < 0n ? 'Debit' : 'Credit';
}

/** A stored bigint, which the driver hands back as a string (pg) or a number or bigint (PGlite). */
export function minorOf(value: string | number | bigint): bigint {
  return BigInt(value);
}
