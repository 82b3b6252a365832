import type { Knex } from 'knex';
import type { AdapterPayload } from 'oidc-provider';

import { preparedQuery } from '../../db/prepared-query.ts';
import { KeyedRowAdapter } from './keyed-row.adapter.ts';
import { ReplayClaims } from './replay-claims.ts';
import { expiresAtSql } from './row-expiry.ts';

/*
 * Replay detection for client assertions (RFC 7523 §3: "the authorization server MAY ensure that
 * JWTs are not replayed") and DPoP proofs (RFC 9449 §11.1).
 *
 * oidc-provider's `ReplayDetection.unique()` (`lib/models/replay_detection.js`) calls `find(id)`
 * and, when nothing is found, `upsert(id, payload, exp - now)`. With a plain lookup, two requests
 * carrying the same jti at the same moment, on two processes, would both find nothing and both
 * pass. So `find` here is not a read: it claims the id with one
 * `INSERT ... ON CONFLICT DO UPDATE ... WHERE <expired> RETURNING`, which PostgreSQL resolves
 * atomically. Exactly one caller gets a row back (first sighting: "not found"); every other caller,
 * until the row expires, hits the conflict with a live row, gets nothing back, and is told
 * "found". An expired row is claimed anew, as if absent. In oidc-provider 9 nothing but `unique()`
 * calls `ReplayDetection.find`.
 *
 * The claim is made long enough for what `upsert` usually asks (CLAIM_SECONDS), so that `upsert`
 * usually has nothing left to write: the token endpoint pays one statement per assertion, not two.
 * When it asks for longer (an assertion whose exp is far off), `upsert` extends the row; it never
 * shortens one, so a jti stays blocked at least until the expiry oidc-provider asked for.
 */

/**
 * How long `find` claims an id, seconds. oidc-provider asks for at most `CHALLENGE_OK_WINDOW`
 * (300 s, `lib/helpers/challenge.js`) for DPoP proofs (`lib/helpers/validate_dpop.js`) and client
 * attestation proofs (`lib/shared/attest_client_auth.js`), plus under a second of rounding; for a
 * client assertion, its `exp` plus `clockTolerance` (15 s) from now (`lib/shared/jwt_client_auth.js`),
 * with no upper bound, which is 75 s for openid-client's 60-second assertions. A minute over the
 * DPoP window covers both, and any assertion valid for up to 5 minutes and 45 s. The price: rows
 * live 6 minutes, so the table holds about 360 rows per grant/s between sweeps.
 */
export const CLAIM_SECONDS = 360;

/** Claims awaiting their upsert (see replay-claims.ts); far above the requests one process has in flight. */
export const MAX_PENDING_CLAIMS = 10_000;

// Exactly one caller gets the id back; an expired row is claimed as if absent.
const claimId = preparedQuery<{ id: string }>(
  `insert into oidc_replay (id, expires_at) values ($1, ${expiresAtSql('$2')}) `
  + 'on conflict (id) do update set expires_at = excluded.expires_at where oidc_replay.expires_at <= now() '
  + 'returning id',
);

// Writes the row, or moves its expiry later; never earlier. A null expiry is "forever".
const keepId = preparedQuery<never>(
  `insert into oidc_replay (id, expires_at) values ($1, ${expiresAtSql('$2')}) `
  + 'on conflict (id) do update set expires_at = excluded.expires_at '
  + 'where excluded.expires_at is null or oidc_replay.expires_at < excluded.expires_at',
);

/** oidc-provider `Adapter` for the `ReplayDetection` model, over `oidc_replay`. */
export class ReplayDetectionAdapter extends KeyedRowAdapter {
  readonly #db: Knex;
  readonly #claims = new ReplayClaims({ seconds: CLAIM_SECONDS, maxPending: MAX_PENDING_CLAIMS });

  constructor(db: Knex) {
    super('ReplayDetection');
    this.#db = db;
  }

  /** Claims `id`; `undefined` means this caller saw it first, a payload means it is a replay. */
  async find(id: string): Promise<AdapterPayload | undefined> {
    const deadline = this.#claims.deadlineOfClaimSentNow();
    const claimed = await claimId(this.#db, [id, this.#claims.seconds]);
    if (claimed.length === 0) {
      // The model only checks that something was found; a payload without exp passes its verify.
      return { jti: id, kind: 'ReplayDetection' };
    }
    this.#claims.remember(id, deadline);
    return undefined;
  }

  /** Keeps `id` at least `expiresIn` seconds: nothing to do when this process's claim already does. */
  async upsert(id: string, _payload: AdapterPayload, expiresIn?: number): Promise<void> {
    if (this.#claims.covers(id, expiresIn)) return;
    await keepId(this.#db, [id, expiresIn ?? null]);
  }

  async destroy(id: string): Promise<void> {
    this.#claims.forget(id);
    await this.#db('oidc_replay').where({ id }).delete();
  }
}
