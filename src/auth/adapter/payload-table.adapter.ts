import type { Knex } from 'knex';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';

import { payloadTableStatements, type PayloadTableStatements, type StoredRow } from './payload-table-statements.ts';
import type { PayloadTable } from './payload-tables.ts';
import { revokeGrantTokens } from './revoke-grant-tokens.ts';
import { LIVE_ROW } from './row-expiry.ts';
import { unsupportedOperation } from './unsupported-operation.ts';

/*
 * The oidc-provider adapter for every model kept as "id + JSON payload + expiry" (tokens, grants,
 * sessions, interactions, pushed requests). The token endpoint makes several of these calls per
 * request, so each method is exactly one statement: no read-before-write, no transaction. The two
 * it makes most, `upsert` and `find`, are prepared statements (payload-table-statements.ts).
 */

// Grant sources whose second use is an attack, not a retry.
const SINGLE_USE = new Set(['AuthorizationCode', 'RefreshToken']);

/** oidc-provider `Adapter` over one of the payload tables, scoped to one model. */
export class PayloadTableAdapter implements Adapter {
  readonly #db: Knex;
  readonly #model: string;
  readonly #table: PayloadTable;
  readonly #statements: PayloadTableStatements;
  readonly #upsertDb: Knex;

  /** `upsertDb` writes rows (default `db`); everything else, removals included, goes through `db`. */
  constructor(db: Knex, model: string, table: PayloadTable, { upsertDb = db }: { upsertDb?: Knex } = {}) {
    this.#db = db;
    this.#upsertDb = upsertDb;
    this.#model = model;
    this.#table = table;
    this.#statements = payloadTableStatements(table);
  }

  /**
   * Writes the whole row. `consumed_at` only ever moves from empty to set: a stale copy of a token
   * saved after another request consumed it must not make it usable again.
   */
  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await this.#statements.upsert(this.#upsertDb, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return payloadOf(await this.#statements.find(this.#db, id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    if (this.#table.name !== 'oidc_sessions') unsupportedOperation(this.#model, 'findByUid');
    return this.#findLive({ uid });
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    if (this.#model !== 'DeviceCode') unsupportedOperation(this.#model, 'findByUserCode');
    return this.#findLive({ kind: this.#model, user_code: userCode });
  }

  /**
   * Marks the row used; the first use time is kept if it is consumed again. Codes and refresh
   * tokens are single use even under a race: oidc-provider checks `consumed` on the row it read,
   * then consumes, so two concurrent redemptions could both pass its check. Here only one of them
   * flips `consumed_at`; the other finds it already set, and is treated as the reuse it is: the
   * grant's tokens are revoked (RFC 6749 §4.1.2, RFC 9700 §4.14.2) and the request fails.
   */
  async consume(id: string): Promise<void> {
    if (!this.#table.consumable) unsupportedOperation(this.#model, 'consume');
    if (!SINGLE_USE.has(this.#model)) {
      await this.#db(this.#table.name).where(this.#key(id)).update({ consumed_at: this.#db.raw('coalesce(consumed_at, now())') });
      return;
    }
    const claimed = await this.#db.raw('update oidc_tokens set consumed_at = now() where id = ? and kind = ? and consumed_at is null returning id', [id, this.#model]);
    if (claimed.rows.length === 1) return;
    const row: { grant_id: string | null } | undefined = await this.#db('oidc_tokens').first('grant_id').where(this.#key(id));
    if (row?.grant_id) await this.revokeByGrantId(row.grant_id);
    throw new errors.InvalidGrant(`${this.#model === 'AuthorizationCode' ? 'authorization code' : 'refresh token'} already consumed`);
  }

  async destroy(id: string): Promise<void> {
    await this.#db(this.#table.name).where(this.#key(id)).delete();
  }

  /**
   * Revokes the whole grant: every token of any kind issued under it, and the grant itself.
   * oidc-provider calls this once per grant-bound model it revokes (`lib/helpers/revoke.js`), in
   * parallel; the first call does the work and the others delete nothing, so repeats are harmless.
   * Open Banking wants grant-wide revocation: RFC 6749 §4.1.2 (code reuse) and RFC 9700 §4.14.2
   * (refresh token reuse) ask for every token of the grant to go. Deleting the grant here too means
   * oidc-provider's `revokeGrantPolicy` cannot keep a grant whose tokens are revoked.
   */
  async revokeByGrantId(grantId: string): Promise<void> {
    if (this.#table.name !== 'oidc_tokens') unsupportedOperation(this.#model, 'revokeByGrantId');
    await revokeGrantTokens(this.#db, grantId);
  }

  #key(id: string): Record<string, string> {
    const { kind } = this.#table;
    return kind === undefined ? { id } : { id, kind };
  }

  async #findLive(where: Record<string, string>): Promise<AdapterPayload | undefined> {
    const columns: (string | Knex.Raw)[] = ['payload'];
    if (this.#table.consumable) columns.push(this.#db.raw('floor(extract(epoch from consumed_at))::float8 as consumed'));
    return payloadOf(await this.#db(this.#table.name).first(columns).where(where).whereRaw(LIVE_ROW));
  }
}

function payloadOf(row: StoredRow | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  if (typeof row.consumed === 'number') row.payload.consumed = row.consumed;
  return row.payload;
}
