import type { Knex } from 'knex';

/*
 * SQL of the browser parts' server-side sessions (the portal's developers, the console's
 * operators), one table a part. Each table holds `token_hash` (its key: the SHA-256 of the cookie's
 * token), a column naming whose session it is, `created_at` (which bounds the whole session) and
 * `expires_at` (the idle end, moved on by use); a part whose sign-in has two steps adds a boolean
 * column saying the session has passed both. A session is only live while its holder's row says
 * they may be signed in, so the lookup joins that row in the same query.
 */

/** A part's sessions table and the table of those who hold them. */
export interface SessionTable<Holder> {
  /** The sessions table, e.g. `portal_sessions`. */
  name: string;
  /** Its column naming the holder (their `id` in `holders.table`). */
  holderColumn: string;
  /** Its boolean column, for a sign-in of two steps: true once the session has passed both. */
  stepColumn?: string;
  holders: {
    /** The table of those who sign in, joined on its `id`. */
    table: string;
    /** Its columns a request needs, handed to `read` under the same names. */
    columns: readonly string[];
    /** A column that, once set, ends its holder's sessions everywhere (an operator's `disabled_at`). */
    disabledColumn?: string;
    /** The holder as requests see them, from their id and `columns`. */
    read(id: string, columns: Record<string, unknown>): Holder;
  };
}

export interface SessionRow {
  token_hash: string;
  holder_id: string;
  /** False for a session that has passed the first step of a two-step sign-in only. */
  all_steps: boolean;
  created_at: Date;
  expires_at: Date;
}

export async function insertSession(db: Knex, table: SessionTable<unknown>, row: SessionRow): Promise<void> {
  await db(table.name).insert({
    token_hash: row.token_hash, [table.holderColumn]: row.holder_id, created_at: row.created_at, expires_at: row.expires_at,
    ...(table.stepColumn ? { [table.stepColumn]: row.all_steps } : {}),
  });
}

/** The session behind `tokenHash` and its holder, while the session is unexpired at `now` and the holder not disabled. */
export async function findLiveSession<Holder>(db: Knex, table: SessionTable<Holder>, tokenHash: string, now: Date): Promise<{ session: SessionRow; holder: Holder } | undefined> {
  const { holders } = table;
  const query = db(`${table.name} as s`).join(`${holders.table} as h`, 'h.id', `s.${table.holderColumn}`)
    .where('s.token_hash', tokenHash).andWhere('s.expires_at', '>', now);
  if (holders.disabledColumn) query.whereNull(`h.${holders.disabledColumn}`);
  // The holder's columns under `holder_` names, so that none shadows a session column.
  const row = await query.first('s.token_hash', 's.created_at', 's.expires_at', { holder_id: `s.${table.holderColumn}` },
    ...(table.stepColumn ? [{ all_steps: `s.${table.stepColumn}` }] : []),
    ...holders.columns.map((column) => ({ [`holder_${column}`]: `h.${column}` })));
  if (!row) return undefined;
  const columns = Object.fromEntries(holders.columns.map((column) => [column, row[`holder_${column}`]]));
  return {
    session: { token_hash: row.token_hash, holder_id: row.holder_id, all_steps: table.stepColumn ? Boolean(row.all_steps) : true, created_at: new Date(row.created_at), expires_at: new Date(row.expires_at) },
    holder: holders.read(row.holder_id, columns),
  };
}

export async function extendSession(db: Knex, table: SessionTable<unknown>, tokenHash: string, expiresAt: Date): Promise<void> {
  await db(table.name).where({ token_hash: tokenHash }).update({ expires_at: expiresAt });
}

export async function deleteSession(db: Knex, table: SessionTable<unknown>, tokenHash: string): Promise<void> {
  await db(table.name).where({ token_hash: tokenHash }).delete();
}

/** Ends every session of a holder (a password reset, a disabled operator). */
export async function deleteSessionsOf(db: Knex, table: SessionTable<unknown>, holderId: string): Promise<void> {
  await db(table.name).where({ [table.holderColumn]: holderId }).delete();
}

/**
 * Removes the sessions of `holderId` that ended before `now`: each sign-in sweeps its holder's,
 * and the background sweeper (`sweep-expired.ts`) everyone else's. Only the holder's: a clock that
 * is not the store's (a test's frozen one) never ends anyone else's session.
 */
export async function deleteEndedSessionsOf(db: Knex, table: SessionTable<unknown>, holderId: string, now: Date): Promise<void> {
  await db(table.name).where({ [table.holderColumn]: holderId }).andWhere('expires_at', '<=', now).delete();
}
