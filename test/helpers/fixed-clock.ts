import type { Clock } from '../../src/shared/clock.ts';

/** A clock that stays where it is put: frozen time for expiry logic, moved on by hand. */
export function fixedClock(at: Date | string): Clock & { advance(seconds: number): void } {
  let now = new Date(at).getTime();
  return {
    now: () => new Date(now),
    advance(seconds) {
      now += seconds * 1000;
    },
  };
}
