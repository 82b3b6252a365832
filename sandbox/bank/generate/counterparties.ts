import type { Counterparty } from './account-plan.ts';
import { sortCodeAccount } from './identifiers.ts';
import { randomPerson } from './people.ts';
import type { Random } from './random.ts';

/** An account at another bank (04-00-10 to 04-00-99: test sort codes that are not ours). */
export function otherBankAccount(random: Random, name: string): Counterparty {
  const { schemeName, identification } = sortCodeAccount(`0400${random.int(10, 99)}`, random.digits(8));
  return { schemeName, identification, name };
}

/** Someone the customer pays: a friend, a relative, a landlord. */
export function somebody(random: Random): Counterparty {
  return otherBankAccount(random, randomPerson(random, 'payee').name);
}

export const EMPLOYERS = ['Northgate Logistics Ltd', 'Harbour Health NHS Trust', 'Brightwell Retail plc', 'Castle Engineering Ltd', 'Meridian Software Ltd', 'City of Leeds Council', 'Oakridge Academy Trust', 'Kingfisher Insurance plc'];
export const CLIENTS = ['Hartley Homes Ltd', 'Bluebell Property Services', 'Greenway Developments', 'Marlow & Sons Builders', 'Ashford Estates Ltd', 'Riverside Housing Association'];
