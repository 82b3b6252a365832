import type { Knex } from 'knex';
import type { AdapterPayload } from 'oidc-provider';

import { expiresAtFor } from './row-expiry.ts';
import { KeyedRowAdapter } from './keyed-row.adapter.ts';

/*
 * Replay detection for client assertions (RFC 7523 §3: "the authorization server MAY ensure that
 * JWTs are not replayed") and DPoP proofs (RFC 9449 §11.1).
 *
 * oidc-provider's `ReplayDetection.unique()` (`lib/models/replay_detection.js`) calls `find(id)`
 * and, when nothing is found, `upsert(id, payload, ttl)`. With a plain lookup, two requests
 * carrying the same jti at the same moment, on two processes, would both find nothing and both
 * pass. So `find` here is not a read: it claims the id with one
 * `INSERT ... ON CONFLICT DO UPDATE ... WHERE <expired> RETURNING`, which PostgreSQL resolves
 * atomically. Exactly one caller gets a row back (first sighting: "not found"); every other caller,
 * until the row expires, hits the conflict with a live row, gets nothing back, and is told
 * "found". An expired row is claimed anew, as if absent. The claim carries a provisional expiry so
 * a process that dies between `find` and `upsert` cannot leave an eternal row; `upsert` then sets
 * the real one (the JWT's exp plus clock tolerance). In oidc-provider 9 nothing but `unique()`
 * calls `ReplayDetection.find`.
 */

// Lives only until `upsert` replaces it a moment later. Should a process die in between, the jti
// stays blocked for ten minutes, then the sweeper reclaims the row.
const PROVISIONAL_SECONDS = 600;

/** oidc-provider `Adapter` for the `ReplayDetection` model, over `oidc_replay`. */
export class ReplayDetectionAdapter extends KeyedRowAdapter {
  readonly #db: Knex;

  constructor(db: Knex) {
    super('ReplayDetection');
    this.#db = db;
  }

  /** Claims `id`; `undefined` means this caller saw it first, a payload means it is a replay. */
  async find(id: string): Promise<AdapterPayload | undefined> {
    const claimed: unknown[] = await this.#db('oidc_replay')
      .insert({ id, expires_at: expiresAtFor(this.#db, PROVISIONAL_SECONDS) })
      .onConflict('id')
      .merge(['expires_at'])
      .where('oidc_replay.expires_at', '<=', this.#db.fn.now())
      .returning('id');
    // The model only checks that something was found; a payload without exp passes its verify.
    return claimed.length === 1 ? undefined : { jti: id, kind: 'ReplayDetection' };
  }

  async upsert(id: string, _payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await this.#db('oidc_replay').insert({ id, expires_at: expiresAtFor(this.#db, expiresIn) }).onConflict('id').merge(['expires_at']);
  }

  async destroy(id: string): Promise<void> {
    await this.#db('oidc_replay').where({ id }).delete();
  }
}
