import type { Knex } from '../../src/db/knex.ts';

/** How many SQL statements `action` sends through `db` (knex's `query` event, which prepared statements announce too). */
export async function statementsDuring(db: Knex, action: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const countStatement = () => void (count += 1);
  db.on('query', countStatement);
  try {
    await action();
  } finally {
    db.removeListener('query', countStatement);
  }
  return count;
}
