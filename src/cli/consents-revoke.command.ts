import { revokeGrantTokens } from '../auth/adapter/revoke-grant-tokens.ts';
import { endConsent } from '../consent/consent.service.ts';
import { ObError } from '../openbanking/ob-error.ts';
import { CommandFailed, type Command } from './command.ts';
import { withStore } from './with-store.ts';

export const consentsRevokeCommand: Command = {
  words: ['consents', 'revoke'],
  arguments: ['<ConsentId>'],
  flags: {},
  summary: 'revoke a consent for the bank (ops), with every token of its grant',
  description: [
    'Ends a consent on the bank\'s side, as bank operations do when a partner must lose access now (a fraud report, a withdrawn licence): an authorised account access or funds confirmation consent becomes Revoked, one still awaiting authorisation becomes Rejected.',
    'Its grant and every code, access and refresh token issued under it are revoked in the same step; introspection reports them inactive at once. The change is recorded in the consent\'s history as made by ops.',
  ].join('\n\n'),
  async run({ config, print, events, clock }, { positionals: [consentId] }) {
    const ended = await withStore({ config, events, clock }, async (db) => {
      try {
        return await endConsent({ db, events, clock }, consentId!, 'ops', revokeGrantTokens, 'revoked by bank operations');
      } catch (error) {
        if (error instanceof ObError) throw new CommandFailed(error.errors.map((problem) => problem.Message).join('; '), { cause: error });
        throw error;
      }
    });
    print(`Consent ${ended.id} is now ${ended.status}.${ended.grant_id ? ` Its grant ${ended.grant_id} and every token under it are revoked.` : ''}`);
  },
};
