import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';

import type { Knex } from 'knex';
import type { Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';

import { TOTP_SEAL_PURPOSE, sealTotpSecret } from '../../src/admin/operators/operator-totp-seal.ts';
import type { OperatorRole } from '../../src/admin/operators/operator-role.ts';
import { hashPassword } from '../../src/auth/customers/password-authenticator.ts';
import { deriveKey } from '../../src/config/derive-key.ts';
import type { Secrets } from '../../src/config/config.ts';
import { PortalBrowser } from './portal-browser.ts';

/** An operator made straight in the store, and what signing in as them takes. */
export interface TestOperator {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  password: string;
  /** Their authenticator app's secret (base32), when enrolled. */
  totpSecret?: string;
}

export const newOperatorAddress = () => `op-${randomBytes(4).toString('hex')}@bank.example`;

/** The code an authenticator app shows for `secret`, `stepsAhead` 30-second steps from now. */
export function totpCode(secret: string, stepsAhead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/** An operator with `role`, enrolled (their TOTP secret sealed as the server seals it) unless `enrolled` is false. */
export async function insertOperator(db: Knex, secrets: Pick<Secrets, 'keyEncryptionKey'>, fields: { role?: OperatorRole; enrolled?: boolean; name?: string } = {}): Promise<TestOperator> {
  const operator: TestOperator = { id: `op-${randomUUID()}`, email: newOperatorAddress(), name: fields.name ?? 'Margaret Hamilton', role: fields.role ?? 'admin', password: 'a long enough operator password' };
  const enrolled = fields.enrolled ?? true;
  if (enrolled) operator.totpSecret = new Secret({ size: 20 }).base32;
  await db('operators').insert({
    id: operator.id, email: operator.email, email_key: operator.email.toLowerCase(), name: operator.name, role: operator.role, password_hash: await hashPassword(operator.password), created_at: new Date(),
    ...(operator.totpSecret ? { totp_secret_sealed: sealTotpSecret(operator.totpSecret, operator.id, deriveKey(secrets, TOTP_SEAL_PURPOSE)), totp_enrolled_at: new Date() } : {}),
  });
  return operator;
}

/** A browser signed in to the console as an enrolled operator (password, then a code `stepsAhead` from now). */
export async function signedInConsole(caPem: string, origin: string, operator: TestOperator, stepsAhead = 0): Promise<PortalBrowser> {
  const browser = new PortalBrowser(caPem, origin);
  const password = await browser.submit('/console/sign-in', '/console/sign-in', { email: operator.email, password: operator.password });
  assert.equal(password.headers.get('location'), '/console/sign-in/code', `the password step answered ${password.status}`);
  const code = await browser.submit('/console/sign-in/code', '/console/sign-in/code', { code: totpCode(operator.totpSecret!, stepsAhead) });
  assert.equal(code.status, 303, `the code step answered ${code.status}`);
  return browser;
}

/** Signs in on the console's sign-in page that `page` shows (any console page, signed out, shows it): password, then the app's code. */
export async function signInOnPage(page: Page, operator: TestOperator): Promise<void> {
  await page.getByLabel('Email address').fill(operator.email);
  await page.getByLabel('Password').fill(operator.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Code', { exact: true }).fill(totpCode(operator.totpSecret!));
  await page.getByRole('button', { name: 'Sign in' }).click();
}
