import { describeSigningKeys, type SigningKeyStatus } from '../auth/keys/signing-keys.service.ts';
import type { Command } from './command.ts';
import { formatInstant, formatTable } from './format-table.ts';
import { withStore } from './with-store.ts';

// A key no rotation has superseded yet has neither instant: it signs (or will) until one does.
const NOT_SCHEDULED = 'not scheduled';

function publishedUntil(key: SigningKeyStatus): string {
  if (!key.publishedUntil) return NOT_SCHEDULED;
  return key.published ? formatInstant(key.publishedUntil) : `${formatInstant(key.publishedUntil)} (ended)`;
}

export const keysListCommand: Command = {
  words: ['keys', 'list'],
  arguments: [],
  flags: {},
  summary: 'list the signing keys: pending, active and retired',
  description: [
    'Lists every signing key in the store, newest first: kid, algorithm, when it was created, its status, when it starts signing, when it stops, and until when it is published in the JWKS.',
    'A pending key is published, for verification only, and signs from ACTIVATES AT, so that partners\' cached JWKS know it first; an active key signs; a retired key signs nothing more but stays published for retiredKeyGrace after RETIRES AT, so that what it signed still verifies. "(ended)" marks one no longer published. The status is read against the database clock, as the servers read it.',
    'Needs no key-encryption key: private parts are not read.',
  ].join('\n\n'),
  async run({ config, print, events, clock }) {
    const keys = await withStore({ config, events, clock }, (db) => describeSigningKeys(db, config.retiredKeyGrace));
    if (keys.length === 0) {
      print('No signing keys yet: `npm start` or `keys rotate` creates them.');
      return;
    }
    print(formatTable(
      ['KID', 'ALG', 'CREATED', 'STATUS', 'ACTIVATES AT', 'RETIRES AT', 'PUBLISHED UNTIL'],
      keys.map((key) => [
        key.kid,
        key.alg,
        formatInstant(key.createdAt),
        key.state,
        formatInstant(key.activatesAt),
        key.retiredAt ? formatInstant(key.retiredAt) : NOT_SCHEDULED,
        publishedUntil(key),
      ]),
    ));
  },
};
