/*
 * Account identifications that look and check like real ones but belong to nobody: sort codes in
 * the 04-00-xx range (kept for testing), GB IBANs under the sandbox's own bank code, and Luhn-valid
 * card numbers under a BIN no issuer uses. Story customers live under 04-00-04, generated ones
 * under 04-00-05, so the two can never collide whatever the bank's size.
 */

export const BANK_BIC = 'PCLSGB2L';
const BANK_CODE = 'PCLS';
export const STORY_SORT_CODE = '040004';
export const GENERATED_SORT_CODE = '040005';
const CARD_BIN = '459990';

/** What a payment names an account by (OBCashAccount's SchemeName and Identification). */
export interface AccountIdentification {
  schemeName: 'UK.OBIE.SortCodeAccountNumber' | 'UK.OBIE.IBAN' | 'UK.OBIE.PAN';
  identification: string;
}

export function sortCodeAccount(sortCode: string, accountNumber: string): AccountIdentification {
  return { schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: `${sortCode}${accountNumber}` };
}

/** A GB IBAN (ISO 13616: check digits are 98 less the number mod 97, letters counted from A = 10). */
export function gbIban(sortCode: string, accountNumber: string): AccountIdentification {
  const bban = `${BANK_CODE}${sortCode}${accountNumber}`;
  const numeric = `${bban}GB00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  const check = 98n - (BigInt(numeric) % 97n);
  return { schemeName: 'UK.OBIE.IBAN', identification: `GB${String(check).padStart(2, '0')}${bban}` };
}

/** A 16-digit card number whose last digit is its Luhn check digit. */
export function cardNumber(serial: string): AccountIdentification {
  const body = `${CARD_BIN}${serial.padStart(9, '0')}`;
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    // Doubling starts from the digit just left of where the check digit will go.
    let digit = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return { schemeName: 'UK.OBIE.PAN', identification: `${body}${(10 - (sum % 10)) % 10}` };
}
