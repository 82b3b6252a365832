import { rotateSigningKeys } from '../auth/keys/signing-keys.service.ts';
import { SIGNING_KEY_POLL_SECONDS } from '../auth/keys/watch-signing-keys.ts';
import { defaults } from '../config/defaults.ts';
import { resolveSecrets } from '../config/dev-secrets.ts';
import type { Command } from './command.ts';
import { formatInstant, formatTable } from './format-table.ts';
import { withStore } from './with-store.ts';

export const keysRotateCommand: Command = {
  words: ['keys', 'rotate'],
  arguments: [],
  flags: { now: { description: 'sign with the new keys at once, skipping keyActivationDelay: for a compromised key' } },
  summary: 'add a new signing key per algorithm, to replace the current ones',
  description: [
    `Generates a new signing key for every algorithm (PS256, ES256, EdDSA) and seals it with KEY_ENCRYPTION_KEY. It is published in the JWKS at once, for verification only, and signs from keyActivationDelay (${defaults.keyActivationDelay} s) later: partners cache our JWKS, so they must hold the new kid before anything signed with it reaches them. Until then the current keys keep signing; at that instant they retire: they sign nothing more but stay published for retiredKeyGrace, so tokens and ID tokens they signed keep verifying. Rotating again before then replaces the pending keys as well. Prints one "ALG KID SIGNS FROM" line per new key.`,
    'With --now the new keys sign at once and the current ones retire at once, as for a compromised key. What they signed stays verifiable for retiredKeyGrace all the same, and partners whose cached JWKS lacks the new kids reject what it signs until they fetch it again.',
    `Instances running on PostgreSQL publish the new keys within ${SIGNING_KEY_POLL_SECONDS} s, and sign with them within ${SIGNING_KEY_POLL_SECONDS} s of SIGNS FROM, without a restart. On PGlite, start Portcullis again afterwards: it publishes them, and signs with them from SIGNS FROM on.`,
    'Fails, changing nothing, when KEY_ENCRYPTION_KEY cannot open the current keys (outside production the development key in DATA_DIR/dev-secrets.json is used, as by `npm start`).',
  ].join('\n\n'),
  async run({ config, print, note, events, clock }, { flags }) {
    const { keyEncryptionKey } = resolveSecrets(config, note);
    const activationDelaySeconds = flags['now'] ? 0 : defaults.keyActivationDelay;
    const rotated = await withStore({ config, events, clock }, (db) => rotateSigningKeys(db, keyEncryptionKey, { activationDelaySeconds, events }));
    print(formatTable(['ALG', 'KID', 'SIGNS FROM'], rotated.map((key) => [key.alg, key.kid, formatInstant(key.activatesAt)])));
    if (rotated.some((key) => key.pending)) {
      note(`The new keys are published now, for verification only, and sign from SIGNS FROM (keyActivationDelay: ${activationDelaySeconds} s), once partners' cached JWKS hold them. For a compromised key, use --now.`);
    }
    const retired = rotated.flatMap((key) => key.retiredKids);
    if (retired.length > 0) {
      const handover = Math.max(...rotated.map((key) => key.activatesAt.getTime()));
      note(`Retired ${retired.join(', ')}: they sign until ${formatInstant(new Date(handover))}, then verify only, and stay published until about ${formatInstant(new Date(handover + config.retiredKeyGrace * 1000))}.`);
    }
  },
};
