import type { Knex } from 'knex';

/*
 * The login throttle's places for checks in flight: one row per password or code being checked
 * right now, in the `login_attempts` table beside rate-limiter-flexible's counters and in their
 * layout (`key`, `points`, `expire` in epoch milliseconds by the application's clock), under keys
 * of their own (`reserved:<limit>:<counted key>:<uuid>`). Every row carries its own expiry, so a
 * process that dies mid-check holds its places no longer than that; the library's sweep deletes
 * them an hour later with every other expired row.
 */

/** Holds one place under `key` until `expiresAt` (epoch ms), unless it is deleted sooner. */
export async function insertReservation(db: Knex, key: string, expiresAt: number): Promise<void> {
  await db('login_attempts').insert({ key, points: 1, expire: expiresAt });
}

/** How many places whose keys start with `prefix` are still held at `now` (epoch ms). */
export async function countReservations(db: Knex, prefix: string, now: number): Promise<number> {
  // starts_with, not LIKE: the counted keys are base64url, whose `_` LIKE reads as a wildcard.
  const row = await db('login_attempts').whereRaw('starts_with(key, ?)', [prefix]).andWhere('expire', '>', now).count({ held: '*' }).first();
  return Number(row?.['held'] ?? 0);
}

/** Gives a place back. */
export async function deleteReservation(db: Knex, key: string): Promise<void> {
  await db('login_attempts').where({ key }).delete();
}
