import type { BankUnit } from './bank-unit.ts';
import type { Window } from './schedule.ts';
import { aliceAndBob, chloe, dan, marie } from './personal-stories.ts';
import { northwind, theTaylors } from './shared-stories.ts';

/** A story customer's documented login. */
export interface StoryLogin {
  username: string;
  password: string;
  customerId: string;
  displayName: string;
  story: string;
}

const login = (username: string, customerId: string, displayName: string, story: string): StoryLogin => ({ username, password: `${username}-sandbox-pass`, customerId, displayName, story });

/**
 * The customers every sandbox bank has, whatever its seed and size, for partners' tests and the
 * README: their ids, account numbers and available balances are fixed; their transactions follow
 * the seed. alice and bob keep the accounts the sandbox always had.
 */
export const STORY_LOGINS: readonly StoryLogin[] = [
  login('alice', 'cust-0001', 'Alice Carter', 'Salaried: paid on the 25th, rent by standing order, bills by direct debit, a standing order into her savings (£1,250.75 available, £8,400 saved).'),
  login('bob', 'cust-0002', 'Bob Mensah', 'Low balance: his wages barely cover the month (£42.10 available, £250 arranged overdraft).'),
  login('chloe', 'cust-0003', 'Chloe Okafor', 'Student: student loan each term, part-time wages, many small card payments, a £1,500 interest-free overdraft.'),
  login('dan', 'cust-0004', 'Daniel Hughes', 'Overdrawn: £643.18 into a £1,000 overdraft, and a credit card close to its £3,000 limit.'),
  login('northwind', 'cust-0005', 'Northwind Joinery Ltd', 'Business with many accounts: current, payroll, tax reserve, euro account and a business card.'),
  login('sam', 'cust-0006', 'Sam Taylor', 'Joint account with Jo (both salaries, the mortgage and bills), and a credit card of his own.'),
  login('jo', 'cust-0007', 'Jo Taylor', 'Joint account with Sam, and savings of her own.'),
  login('marie', 'cust-0008', 'Marie Dubois', 'Euro holder: paid in euros into a GB IBAN account, with a sterling current account for life in the UK.'),
];

/** The story customers' units, in the order above (the Taylors share one). */
export function storyUnits(seed: string, window: Window): BankUnit[] {
  return [...aliceAndBob(seed, window), chloe(seed, window), dan(seed, window), northwind(seed, window), theTaylors(seed, window), marie(seed, window)];
}

/** The story login of this username, if it is one. */
export function storyLogin(username: string): StoryLogin {
  return STORY_LOGINS.find((story) => story.username === username)!;
}
