import type { CustomerRecord } from './bank-unit.ts';
import { partyOf, randomAddress } from './people.ts';
import { randomFor, type Random } from './random.ts';
import { DAY, type Window } from './schedule.ts';
import { storyLogin } from './story-customers.ts';

/** A story customer's record and the stream their year is drawn from (of the seed, so transactions follow it). */
export function storyCustomer(seed: string, username: string, kind: 'personal' | 'business' = 'personal'): { customer: CustomerRecord; random: Random } {
  const login = storyLogin(username);
  const random = randomFor(seed, `story ${username}`);
  // Contact details of the story's own, not of the seed: a partner's tests may compare them.
  const fixed = randomFor('story', username);
  const person = { name: login.displayName, email: `${username}@example.com`, mobile: `+44-7700900${login.customerId.slice(-3)}`, address: randomAddress(fixed) };
  return {
    customer: { customerId: login.customerId, username, displayName: login.displayName, kind, party: partyOf(login.customerId, person, kind === 'business' ? 'company' : 'individual'), password: login.password },
    random,
  };
}

/** When a story account was opened: years before the window, the same in every bank. */
export function openedYearsBefore(window: Window, years: number): number {
  return window.start - years * 365 * DAY;
}
