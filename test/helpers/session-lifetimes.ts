import assert from 'node:assert/strict';

import type { Knex } from 'knex';

import type { SessionKind } from '../../src/shared/sessions/session-kind.ts';
import { resumeSession, startSession } from '../../src/shared/sessions/sessions.service.ts';
import { fixedClock } from './fixed-clock.ts';

/**
 * Where session tests freeze their clock: long after any real instant, so that the sessions they
 * make there are never ended by the store's own clock (the background sweeper runs on it) while
 * other test files share the store. Their sign-ins sweep only their own holder's sessions.
 */
export const FROZEN_AT = '2099-06-01T09:00:00Z';

/**
 * Checks, on a frozen clock, that a session of `kind` for `holderId` ends after `idleSeconds`
 * without a request, lasts while used, and ends after `absoluteSeconds` however busy. The
 * lifetimes are the ones a part promises, written out by its test rather than read from `kind`,
 * so that a change to its settings fails there.
 */
export async function assertSessionLifetimes(db: Knex, kind: SessionKind<unknown>, holderId: string, at: string, lifetimes: { idleSeconds: number; absoluteSeconds: number }): Promise<void> {
  const clock = fixedClock(at);
  const deps = { db, clock };
  const idle = await startSession(deps, kind, holderId);
  clock.advance(lifetimes.idleSeconds - 1);
  assert.ok(await resumeSession(deps, kind, idle.token));
  clock.advance(lifetimes.idleSeconds - 1);
  assert.ok(await resumeSession(deps, kind, idle.token), 'use moved the end on');
  clock.advance(lifetimes.idleSeconds + 1);
  assert.equal(await resumeSession(deps, kind, idle.token), undefined);

  const busy = await startSession(deps, kind, holderId);
  for (let spent = 0; spent < lifetimes.absoluteSeconds - 600; spent += 600) {
    clock.advance(600);
    assert.ok(await resumeSession(deps, kind, busy.token), `${spent + 600} s in`);
  }
  clock.advance(601);
  assert.equal(await resumeSession(deps, kind, busy.token), undefined);
  assert.equal(await resumeSession(deps, kind, 'not-a-token'), undefined);
}
