import { createHash } from 'node:crypto';

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** The few draws the generator makes, over one seeded stream. */
export interface Random {
  /** An integer in [from, to], both included. */
  int(from: number, to: number): number;
  /** True with probability `p` (0..1). */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A string of `length` decimal digits. */
  digits(length: number): string;
}

/**
 * A stream of its own for each part of the bank (`key`: "customer 12", "story alice"): the bank
 * is generated one customer at a time, and what one customer gets must not depend on how many
 * came before, so that a bank of 10 and one of 10,000 share their first ten customers and a
 * story customer is the same in every bank of a seed. The 128-bit state comes from SHA-256 of the
 * seed and the key, so any text is a seed.
 */
export function randomFor(seed: string, key: string): Random {
  const digest = createHash('sha256').update(seed).update('\0').update(key).digest();
  const rng = xoroshiro128plusFromState([digest.readInt32BE(0), digest.readInt32BE(4), digest.readInt32BE(8), digest.readInt32BE(12)]);
  const int = (from: number, to: number) => uniformInt(rng, from, to);
  return {
    int,
    chance: (p) => int(0, 999_999) < p * 1_000_000,
    pick: (items) => items[int(0, items.length - 1)]!,
    digits: (length) => Array.from({ length }, () => int(0, 9)).join(''),
  };
}
