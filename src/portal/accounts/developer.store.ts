import type { Knex } from 'knex';

export interface DeveloperRow {
  id: string;
  email: string;
  email_key: string;
  name: string;
  password_hash: string;
  email_verified_at: Date | null;
  created_at: Date;
}

/** The address as an account key: the same mailbox in any case is one account. */
export const emailKeyOf = (email: string) => email.toLowerCase();

export async function findDeveloperByEmail(db: Knex, email: string): Promise<DeveloperRow | undefined> {
  return db<DeveloperRow>('portal_developers').where({ email_key: emailKeyOf(email) }).first();
}

/** Inserts a developer unless the address has an account; true when inserted. */
export async function insertDeveloperIfNew(db: Knex, row: DeveloperRow): Promise<boolean> {
  const inserted = await db('portal_developers').insert(row).onConflict('email_key').ignore().returning('id');
  return inserted.length === 1;
}

export async function insertEmailToken(db: Knex, token: { token_hash: string; developer_id: string; purpose: string; expires_at: Date }): Promise<void> {
  await db('portal_email_tokens').insert(token);
}

/** Spends a token of `purpose` that is unused and unexpired at `now`; the developer's id, or undefined. */
export async function spendEmailToken(db: Knex, tokenHash: string, purpose: string, now: Date): Promise<string | undefined> {
  const [row] = (await db('portal_email_tokens').where({ token_hash: tokenHash, purpose }).whereNull('used_at').andWhere('expires_at', '>', now)
    .update({ used_at: now }, ['developer_id'])) as Array<{ developer_id: string }>;
  return row?.developer_id;
}

/** Marks the address verified, once: a later verification keeps the first date. */
export async function markEmailVerified(db: Knex, developerId: string, at: Date): Promise<void> {
  await db('portal_developers').where({ id: developerId }).whereNull('email_verified_at').update({ email_verified_at: at });
}

export async function findDeveloperById(db: Knex, id: string): Promise<DeveloperRow | undefined> {
  return db<DeveloperRow>('portal_developers').where({ id }).first();
}

/** The developer an unused, unexpired token of `purpose` was mailed to, without spending it. */
export async function findLiveEmailToken(db: Knex, tokenHash: string, purpose: string, now: Date): Promise<string | undefined> {
  const row = await db('portal_email_tokens').where({ token_hash: tokenHash, purpose }).whereNull('used_at').andWhere('expires_at', '>', now).first('developer_id');
  return (row as { developer_id: string } | undefined)?.developer_id;
}

/** Spends every other live token of `purpose` a developer holds: a reset link works once, and only the one used. */
export async function spendEmailTokensOf(db: Knex, developerId: string, purpose: string, now: Date): Promise<void> {
  await db('portal_email_tokens').where({ developer_id: developerId, purpose }).whereNull('used_at').update({ used_at: now });
}

export async function setDeveloperPassword(db: Knex, developerId: string, passwordHash: string): Promise<void> {
  await db('portal_developers').where({ id: developerId }).update({ password_hash: passwordHash });
}
