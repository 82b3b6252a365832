import type { Knex } from 'knex';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  public_jwk: Record<string, unknown>;
  private_jwk_encrypted: string;
  created_at: Date;
  /** When it starts signing. A rotation publishes the key ahead of this instant. */
  activates_at: Date;
  /** When it stops signing; null until a rotation names its successor. */
  retired_at: Date | null;
}

/** Where a key stands at the database's `now()`: waiting to sign, signing, or done signing. */
export type SigningKeyState = 'pending' | 'active' | 'retired';

/** A key without its key material, with its state at the database's `now()`: what `keys list` reads. */
export interface SigningKeySummary extends Pick<SigningKeyRow, 'kid' | 'alg' | 'created_at' | 'activates_at' | 'retired_at'> {
  state: SigningKeyState;
  published: boolean;
}

/*
 * The rules, each read against the database clock so that every instance, and the CLI, agrees on
 * them whatever its own clock says. A key signs in [activates_at, retired_at).
 */
const SIGNS_NOW = 'activates_at <= now() and (retired_at is null or retired_at > now())';
/** Some instant from now on lies in [activates_at, retired_at): it signs now, or will. */
const SIGNS_NOW_OR_LATER = 'retired_at is null or retired_at > greatest(activates_at, now())';
/** Pending, active, and retired inside the grace period (one binding: the grace in seconds). */
const PUBLISHED = 'retired_at is null or retired_at > now() - make_interval(secs => ?)';

/**
 * Keys in the JWKS, with whether each signs now: those that do first, then the rest (pending ones,
 * and retired ones inside the grace period), newest first.
 */
export function listPublishedKeys(db: Knex, graceSeconds: number): Promise<Array<SigningKeyRow & { signs: boolean }>> {
  return db('signing_keys')
    .select('*', db.raw(`(${SIGNS_NOW}) as signs`))
    .whereRaw(`(${PUBLISHED})`, [graceSeconds])
    .orderByRaw('signs desc, activates_at desc, created_at desc');
}

/** The kids `listPublishedKeys` returns and whether each signs now, without key material: cheap enough to poll. */
export function listPublishedKeySummaries(db: Knex, graceSeconds: number): Promise<Array<{ kid: string; signs: boolean }>> {
  return db('signing_keys').select('kid', db.raw(`(${SIGNS_NOW}) as signs`)).whereRaw(`(${PUBLISHED})`, [graceSeconds]);
}

/** Every key ever stored, published or not, newest first. */
export function listKeySummaries(db: Knex, graceSeconds: number): Promise<SigningKeySummary[]> {
  return db('signing_keys')
    .select('kid', 'alg', 'created_at', 'activates_at', 'retired_at')
    .select(db.raw(`case when ${SIGNS_NOW} then 'active' when ${SIGNS_NOW_OR_LATER} then 'pending' else 'retired' end as state`))
    .select(db.raw(`(${PUBLISHED}) as published`, [graceSeconds]))
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'alg' }]);
}

/** Keys that sign now or will, with their sealed private parts. */
export function listUnretiredKeys(db: Knex): Promise<SigningKeyRow[]> {
  return db<SigningKeyRow>('signing_keys').whereRaw(`(${SIGNS_NOW_OR_LATER})`);
}

/** Algorithms with a key that signs now. */
export async function listSigningAlgorithms(db: Knex): Promise<string[]> {
  const rows: Array<{ alg: string }> = await db('signing_keys').distinct('alg').whereRaw(`(${SIGNS_NOW})`);
  return rows.map((row) => row.alg);
}

/** Algorithms with a key that signs now or will. */
export async function listAlgorithmsSigningNowOrLater(db: Knex): Promise<string[]> {
  const rows: Array<{ alg: string }> = await db('signing_keys').distinct('alg').whereRaw(`(${SIGNS_NOW_OR_LATER})`);
  return rows.map((row) => row.alg);
}

/** Stores a key that starts signing `activationDelaySeconds` after the database's `now()`; returns that instant. */
export async function insertSigningKey(db: Knex, row: Pick<SigningKeyRow, 'kid' | 'alg' | 'public_jwk' | 'private_jwk_encrypted'>, activationDelaySeconds: number): Promise<Date> {
  const [inserted]: Array<{ activates_at: Date }> = await db('signing_keys')
    .insert({ ...row, activates_at: db.raw('now() + make_interval(secs => ?)', [activationDelaySeconds]) }, ['activates_at']);
  return inserted!.activates_at;
}

/**
 * Makes every other key of `alg` stop signing no later than `successorKid` starts: a key that
 * would sign past that instant (not retired, or retired later) retires at it. Returns their kids.
 */
export async function retireSigningKeysAt(db: Knex, alg: string, successorKid: string): Promise<string[]> {
  const activation = db('signing_keys').select('activates_at').where({ kid: successorKid });
  const rows: Array<{ kid: string }> = await db('signing_keys')
    .where({ alg })
    .whereNot({ kid: successorKid })
    .where((query) => query.whereNull('retired_at').orWhere('retired_at', '>', activation))
    .update({ retired_at: activation }, ['kid']);
  return rows.map((row) => row.kid);
}

/**
 * Serialises key generation across instances that start at once, so that no algorithm ends up
 * with two signing keys (transaction-scoped advisory lock).
 */
export async function lockSigningKeys(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext('portcullis.signing_keys'))`);
}
