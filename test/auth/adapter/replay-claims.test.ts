import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ReplayClaims } from '../../../src/auth/adapter/replay-claims.ts';

describe('ReplayClaims', () => {
  function frozenClaims(maxPending = 10) {
    const clock = { ms: 1_000_000 };
    const claims = new ReplayClaims({ seconds: 360, maxPending, now: () => clock.ms });
    return { clock, claims };
  }

  it('covers an upsert that asks for no more than the claim has left, to the millisecond', () => {
    const { clock, claims } = frozenClaims();
    claims.remember('a', claims.deadlineOfClaimSentNow());
    claims.remember('b', claims.deadlineOfClaimSentNow());
    clock.ms += 100_000;

    assert.equal(claims.covers('a', 260), true);
    assert.equal(claims.covers('b', 260.001), false);
  });

  it('answers one upsert per claim', () => {
    const { claims } = frozenClaims();
    claims.remember('a', claims.deadlineOfClaimSentNow());

    assert.equal(claims.covers('a', 10), true);
    assert.equal(claims.covers('a', 10), false);
  });

  it('dates the claim from when it was sent, not when it was confirmed', () => {
    const { clock, claims } = frozenClaims();
    const deadline = claims.deadlineOfClaimSentNow();
    clock.ms += 2_000;
    claims.remember('a', deadline);

    assert.equal(claims.covers('a', 359), false);
  });

  it('never covers an unclaimed id, a forgotten claim or an upsert without expiry', () => {
    const { claims } = frozenClaims();
    claims.remember('a', claims.deadlineOfClaimSentNow());
    claims.remember('b', claims.deadlineOfClaimSentNow());
    claims.forget('a');

    assert.equal(claims.covers('a', 1), false);
    assert.equal(claims.covers('b', undefined), false);
    assert.equal(claims.covers('c', 1), false);
  });

  it('drops the oldest claim beyond maxPending', () => {
    const { claims } = frozenClaims(2);
    for (const id of ['a', 'b', 'c']) claims.remember(id, claims.deadlineOfClaimSentNow());

    assert.deepEqual(['a', 'b', 'c'].map((id) => claims.covers(id, 1)), [false, true, true]);
  });
});
