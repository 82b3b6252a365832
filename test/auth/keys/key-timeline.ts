import assert from 'node:assert/strict';

import type { Knex } from 'knex';

/**
 * Moves every stored key's instants `seconds` into the past: as far as the keys are concerned,
 * that much time has passed. The rules read the database clock, so this is how tests let a pending
 * key activate or a grace period run out.
 */
export async function passTime(db: Knex, seconds: number): Promise<void> {
  const earlier = (column: string) => db.raw('?? - make_interval(secs => ?)', [column, seconds]);
  await db('signing_keys').update({ created_at: earlier('created_at'), activates_at: earlier('activates_at'), retired_at: earlier('retired_at') });
}

/**
 * Which key signs, per algorithm, from now on, in order: checked at now and at every later instant
 * where some key starts or stops signing (between those the signers cannot change). Fails unless
 * exactly one key of each algorithm signs at each of them.
 */
export async function signingTimeline(db: Knex): Promise<Map<string, string[]>> {
  const { rows } = await db.raw<{ rows: Array<{ at: Date; alg: string; signers: number; kids: string | null }> }>(`
    with instants(at) as (
      select now()
      union select activates_at from signing_keys where activates_at > now()
      union select retired_at from signing_keys where retired_at > now()
    ), algs as (select distinct alg from signing_keys)
    select instants.at, algs.alg, count(k.kid)::int as signers, string_agg(k.kid, ',') as kids
    from instants cross join algs
    left join signing_keys k on k.alg = algs.alg and k.activates_at <= instants.at and (k.retired_at is null or k.retired_at > instants.at)
    group by instants.at, algs.alg
    order by instants.at, algs.alg`);
  const timeline = new Map<string, string[]>();
  for (const row of rows) {
    assert.equal(row.signers, 1, `${row.alg} at ${row.at.toISOString()}: signed by ${row.kids ?? 'nothing'}`);
    const kids = timeline.get(row.alg) ?? [];
    if (kids.at(-1) !== row.kids) kids.push(row.kids!);
    timeline.set(row.alg, kids);
  }
  return timeline;
}
