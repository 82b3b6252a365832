import type { Knex } from 'knex';
import type { AdapterPayload } from 'oidc-provider';

import { preparedQuery } from '../../db/prepared-query.ts';
import type { PayloadTable } from './payload-tables.ts';
import { LIVE_ROW, expiresAtSql } from './row-expiry.ts';

/*
 * The two statements every token request runs on a payload table (issue a token, look one up by
 * id), written out once per table as prepared statements (src/db/prepared-query.ts). They keep the
 * rules of `PayloadTableAdapter`: `expires_at` follows `expiresAtSql` (an absent `expiresIn` is
 * bound as null: no expiry), `consumed_at` only ever goes from empty to set, and a row is found only
 * while live.
 */

/** A row as `find` reads it: the payload, and when consumable, its consumption time in epoch seconds. */
export interface StoredRow {
  payload: AdapterPayload;
  consumed?: number | null;
}

export interface PayloadTableStatements {
  /** Inserts or replaces the row of `id` (and the table's kind). */
  upsert(db: Knex, id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
  /** The live row of `id` (and the table's kind), if any. */
  find(db: Knex, id: string): Promise<StoredRow | undefined>;
}

/** The upsert and find statements of `table`. */
export function payloadTableStatements(table: PayloadTable): PayloadTableStatements {
  const { name, kind, consumable, columns } = table;
  const key = kind === undefined ? ['id'] : ['id', 'kind'];
  const copied = Object.keys(columns({}));
  const plain = [...key, ...copied, 'payload'];
  const placeholders = plain.map((_, index) => `$${index + 1}`);
  placeholders.push(expiresAtSql(`$${plain.length + 1}`));
  const updates = [...copied, 'payload', 'expires_at'].map((column) => `${column} = excluded.${column}`);
  if (consumable) {
    placeholders.push(`to_timestamp($${plain.length + 2}::float8)`);
    updates.push(`consumed_at = coalesce(${name}.consumed_at, excluded.consumed_at)`);
  }
  const inserted = [...plain, 'expires_at', ...(consumable ? ['consumed_at'] : [])];
  const upsertRow = preparedQuery<never>(
    `insert into ${name} (${inserted.join(', ')}) values (${placeholders.join(', ')}) `
    + `on conflict (${key.join(', ')}) do update set ${updates.join(', ')}`,
  );
  const findRow = preparedQuery<StoredRow>(
    `select payload${consumable ? ', floor(extract(epoch from consumed_at))::float8 as consumed' : ''} from ${name} `
    + `where ${key.map((column, index) => `${column} = $${index + 1}`).join(' and ')} and ${LIVE_ROW} limit 1`,
  );
  const keyValues = (id: string): string[] => (kind === undefined ? [id] : [id, kind]);

  return {
    async upsert(db, id, payload, expiresIn) {
      const copies = columns(payload);
      const values: unknown[] = [...keyValues(id), ...copied.map((column) => copies[column] ?? null), JSON.stringify(payload), expiresIn ?? null];
      if (consumable) values.push(typeof payload.consumed === 'number' ? payload.consumed : null);
      await upsertRow(db, values);
    },
    async find(db, id) {
      const [row] = await findRow(db, keyValues(id));
      return row;
    },
  };
}
