import { hash } from 'node:crypto';

import type { Knex } from 'knex';
import ClientPGLite from 'knex-pglite';

/*
 * The few statements oidc-provider runs on every token request (client lookup, replay claim,
 * token write), sent past the query builder. Building the SQL with knex and having PostgreSQL
 * parse and plan it again cost more CPU per grant than running it did. Here the text is fixed
 * when the module loads, and on PostgreSQL it is a named prepared statement: each pooled
 * connection parses it once, then only binds and executes it.
 *
 * The connection comes from knex's own pool (so the pool size, timeouts and broken-connection
 * handling stay knex's), and the statement is announced through knex's `query`,
 * `query-response` and `query-error` events, so whoever listens there (the benchmark's
 * `--count-queries`) still sees every statement. PGlite runs in this process with a pool of one
 * connection, so there is no round trip to save: there the same text runs unnamed through that
 * connection, once any transaction holding it has finished, just as knex-pglite runs `db.raw`.
 *
 * A statement runs on a connection of its own, never inside a caller's transaction.
 */

/** Runs the statement with these `$1, $2, ...` values and resolves to its rows. */
export type PreparedQuery<Row> = (db: Knex, values: readonly unknown[]) => Promise<Row[]>;

interface PgConnection {
  query(config: { name: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

interface PgliteConnection {
  query(text: string, values: readonly unknown[]): Promise<{ rows: unknown[] }>;
}

let announced = 0;

/**
 * Makes a statement runner for `text`, a PostgreSQL statement with `$n` placeholders. Its
 * prepared-statement name is derived from the text, so two statements can never share a name
 * (node-postgres refuses a name reused for different text on one connection).
 *
 * @example
 * ```ts
 * const findClient = preparedQuery<{ metadata: ClientMetadata }>('select metadata from oidc_clients where client_id = $1');
 * const [row] = await findClient(db, [clientId]);
 * ```
 */
export function preparedQuery<Row>(text: string): PreparedQuery<Row> {
  const name = `portcullis_${hash('sha256', text, 'base64url').slice(0, 24)}`;
  return async function runPreparedQuery(db: Knex, values: readonly unknown[]): Promise<Row[]> {
    const client = db.client;
    const connection: PgConnection | PgliteConnection = await client.acquireConnection();
    const query = { __knexQueryUid: `prepared-${++announced}`, method: 'raw', sql: text, bindings: values };
    try {
      client.emit('query', query);
      const { rows } = client instanceof ClientPGLite
        ? await (connection as PgliteConnection).query(text, values)
        : await (connection as PgConnection).query({ name, text, values });
      client.emit('query-response', rows, query);
      return rows as Row[];
    } catch (error) {
      client.emit('query-error', error, query);
      throw error;
    } finally {
      await client.releaseConnection(connection);
    }
  };
}
