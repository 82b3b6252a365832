import type { Knex } from 'knex';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

/** One counter's limits, in rate-limiter-flexible's terms. */
export interface AttemptCounterLimits {
  /** Attempts a key may make in one window. */
  points: number;
  /** The window, seconds, counted from the key's first attempt. */
  duration: number;
  /** How long the attempt past `points` blocks the key, seconds. */
  blockDuration: number;
}

interface PgQuery {
  text: string;
  values?: Knex.Value[];
}

/**
 * The one call `RateLimiterPostgres` makes on a `pg` client, `query({ text, values })`, answered
 * through knex. The library's own knex mode takes a raw connection from the pool and calls that
 * driver directly, which fails on PGlite (its `query` takes a string, and it reports no row count
 * for a SELECT); going through `db.raw` keeps one path for PostgreSQL and PGlite, on knex's pool
 * and its `query` events.
 */
function knexQueryClient(db: Knex) {
  return {
    async query({ text, values = [] }: PgQuery): Promise<{ rows: unknown[]; rowCount: number }> {
      // knex binds `?` in order of appearance; the library writes PostgreSQL's `$n`, some twice.
      const bindings: Knex.Value[] = [];
      const sql = text.replace(/\$(\d+)/g, (_, position: string) => {
        bindings.push(values[Number(position) - 1]!);
        return '?';
      });
      const result = (await db.raw(sql, bindings)) as { rows: unknown[]; rowCount: number | null };
      // knex-pglite reports affected rows only (0 for a SELECT that found one), and the library
      // reads `rowCount` to tell a missing key from a found one.
      return { rows: result.rows, rowCount: result.rows.length || (result.rowCount ?? 0) };
    },
  };
}

/**
 * A counter of login attempts in the `login_attempts` table, under `keyPrefix` (one prefix per
 * thing counted: usernames, addresses). Each call is a single statement: nothing holds a
 * transaction, so it is safe on PGlite's one connection. The library itself deletes rows that
 * expired over an hour ago, every five minutes (an unref'd timer), so the table stays small.
 */
export function loginAttemptCounter(db: Knex, keyPrefix: string, limits: AttemptCounterLimits): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: knexQueryClient(db),
    // Any type the library does not know means "a client with pg's `query`", which ours is.
    storeType: 'client',
    tableName: 'login_attempts',
    tableCreated: true,
    keyPrefix,
    ...limits,
  });
}
