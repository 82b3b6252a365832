import type { Redis } from 'ioredis';
import type { AdapterPayload } from 'oidc-provider';

import { KeyedRowAdapter } from './keyed-row.adapter.ts';
import { ReplayClaims } from './replay-claims.ts';
import { CLAIM_SECONDS, MAX_PENDING_CLAIMS } from './replay-detection.adapter.ts';

/*
 * The `ReplayDetection` model in Redis, for deployments that set `REDIS_URL`: the same contract as
 * the PostgreSQL adapter (replay-detection.adapter.ts, whose comment explains it), one key per id.
 *
 * - `find` claims the id with `SET key 1 NX EX CLAIM_SECONDS`, which Redis runs atomically: exactly
 *   one caller on any instance gets `OK` (first sighting: "not found"); every other caller gets
 *   nothing until the key expires, and is told "found". Redis drops an expired key, so an expired
 *   claim is claimed anew as if absent.
 * - `upsert` has nothing to write when this process's claim already lasts long enough (ReplayClaims);
 *   otherwise it writes the key or extends it, never shortening it, in one MULTI so that the key
 *   cannot expire between the two: `SET NX EX n` (absent: write it) then `EXPIRE n GT` (present:
 *   only later). `GT` counts a key without expiry as infinite, so "forever" stays forever.
 *
 * Redis keeps nothing on disk here unless it is configured to: a restart forgets the claims, and a
 * proof or assertion seen just before could be replayed once within its remaining lifetime, the
 * risk store-adapter.ts accepts for the relaxed-commit pool. Its errors are left to the caller:
 * the outage-reporting wrapper turns a Redis that is down into a 503, never a skipped check.
 */

/** oidc-provider `Adapter` for the `ReplayDetection` model, over Redis keys `<keyPrefix>:<id>`. */
export class ReplayDetectionRedisAdapter extends KeyedRowAdapter {
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #claims = new ReplayClaims({ seconds: CLAIM_SECONDS, maxPending: MAX_PENDING_CLAIMS });

  constructor(redis: Redis, keyPrefix: string) {
    super('ReplayDetection');
    this.#redis = redis;
    this.#keyPrefix = keyPrefix;
  }

  #key(id: string): string {
    return `${this.#keyPrefix}:${id}`;
  }

  /** Claims `id`; `undefined` means this caller saw it first, a payload means it is a replay. */
  async find(id: string): Promise<AdapterPayload | undefined> {
    const deadline = this.#claims.deadlineOfClaimSentNow();
    const claimed = await this.#redis.set(this.#key(id), '1', 'EX', this.#claims.seconds, 'NX');
    if (claimed === null) {
      // The model only checks that something was found; a payload without exp passes its verify.
      return { jti: id, kind: 'ReplayDetection' };
    }
    this.#claims.remember(id, deadline);
    return undefined;
  }

  /** Keeps `id` at least `expiresIn` seconds (forever when absent): nothing to do when this process's claim already does. */
  async upsert(id: string, _payload: AdapterPayload, expiresIn?: number): Promise<void> {
    if (this.#claims.covers(id, expiresIn)) return;
    const key = this.#key(id);
    if (expiresIn === undefined) {
      // A plain SET drops any expiry: kept forever.
      await this.#redis.set(key, '1');
      return;
    }
    // Redis counts whole seconds; rounding up keeps the id at least as long as asked. Zero or less
    // asks for an id that has already expired, which leaves nothing to write.
    const seconds = Math.ceil(expiresIn);
    if (seconds <= 0) return;
    const results = await this.#redis.multi().set(key, '1', 'EX', seconds, 'NX').expire(key, seconds, 'GT').exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }

  async destroy(id: string): Promise<void> {
    this.#claims.forget(id);
    await this.#redis.del(this.#key(id));
  }
}
