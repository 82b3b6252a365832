import type { JsonObject } from './bank-unit.ts';
import type { Random } from './random.ts';

/*
 * Names and addresses for generated customers. Phone numbers are in Ofcom's drama range
 * (07700 900xxx) and e-mail addresses at example.com, so nothing reaches a real person.
 */

export const FIRST_NAMES = ['Oliver', 'Amelia', 'George', 'Isla', 'Arthur', 'Ava', 'Noah', 'Mia', 'Muhammad', 'Ivy', 'Leo', 'Lily', 'Harry', 'Florence', 'Oscar', 'Freya', 'Archie', 'Ella', 'Henry', 'Grace', 'Theo', 'Sophia', 'Jack', 'Willow', 'Charlie', 'Evie', 'Freddie', 'Poppy', 'Alfie', 'Sienna', 'Thomas', 'Aisha', 'Joshua', 'Priya', 'James', 'Zara', 'Samuel', 'Chloe', 'Daniel', 'Niamh', 'Rhys', 'Eilidh', 'Kwame', 'Amara', 'Tomasz', 'Zofia', 'Ravi', 'Mei', 'Connor', 'Hannah'];
export const LAST_NAMES = ['Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts', 'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris', 'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Khan', 'Ahmed', 'Singh', 'Murphy', "O'Brien", 'Campbell', 'Stewart', 'Okafor', 'Mensah', 'Kowalski', 'Nowak', 'Chen', 'Wong', 'Begum', 'Ali', 'MacDonald', 'Fraser'];
const TRADES = ['Joinery', 'Plumbing', 'Bakery', 'Design', 'Consulting', 'Landscapes', 'Electrical', 'Catering', 'Print', 'Motors', 'Software', 'Interiors'];
const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Park Avenue', 'Mill Lane', 'Queen Street', 'Green Lane', 'Manor Road', 'Kings Road'];
const TOWNS: readonly (readonly [string, string])[] = [['London', 'SW1A'], ['Leeds', 'LS1'], ['Bristol', 'BS1'], ['Manchester', 'M1'], ['Glasgow', 'G1'], ['Cardiff', 'CF10'], ['Birmingham', 'B1'], ['Norwich', 'NR1'], ['York', 'YO1'], ['Belfast', 'BT1']];

export interface Person {
  name: string;
  email: string;
  mobile: string;
  address: JsonObject;
}

export function randomAddress(random: Random): JsonObject {
  const [town, district] = random.pick(TOWNS);
  return { AddressType: 'Residential', StreetName: random.pick(STREETS), BuildingNumber: String(random.int(1, 180)), PostCode: `${district} ${random.int(1, 9)}${String.fromCharCode(65 + random.int(0, 25))}${String.fromCharCode(65 + random.int(0, 25))}`, TownName: town, Country: 'GB' };
}

export function randomPerson(random: Random, tag: string): Person {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  return { name: `${first} ${last}`, email: `${first}.${last.replace(/[^A-Za-z]/g, '')}.${tag}@example.com`.toLowerCase(), mobile: `+44-7700900${random.digits(3)}`, address: randomAddress(random) };
}

export function randomBusinessName(random: Random): string {
  return `${random.pick(LAST_NAMES)} ${random.pick(TRADES)} Ltd`;
}

/** OBParty2 of a customer: an individual, or a limited company. */
export function partyOf(customerId: string, person: Person, legal: 'individual' | 'company'): JsonObject {
  return {
    PartyId: `party-${customerId}`,
    PartyNumber: customerId.replace(/\D/g, '').padStart(8, '0').slice(-8),
    PartyType: 'Sole',
    Name: person.name,
    FullLegalName: person.name,
    LegalStructure: legal === 'company' ? 'UK.OBIE.PrivateLimitedCompany' : 'UK.OBIE.Individual',
    BeneficialOwnership: true,
    EmailAddress: person.email,
    Mobile: person.mobile,
    Address: [{ ...person.address, AddressType: legal === 'company' ? 'Business' : 'Residential' }],
  };
}
