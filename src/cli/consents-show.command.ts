import { consentWithHistory } from '../consent/consent.service.ts';
import { CommandFailed, type Command } from './command.ts';
import { formatInstant, formatTable } from './format-table.ts';
import { withStore } from './with-store.ts';

export const consentsShowCommand: Command = {
  words: ['consents', 'show'],
  arguments: ['<ConsentId>'],
  flags: {},
  summary: 'show a consent and every status it has had',
  description: 'Shows a consent: its kind, partner (client_id), status, customer, grant, the accounts shared or paid from, when it expires, and its status history with who made each change (partner, customer, ops or system).',
  async run({ config, print, events, clock }, { positionals: [consentId] }) {
    const found = await withStore({ config, events, clock }, (db) => consentWithHistory(db, consentId!));
    if (!found) throw new CommandFailed(`no consent ${consentId}`);
    const { consent, history } = found;
    print(formatTable(['FIELD', 'VALUE'], [
      ['consent', consent.id],
      ['kind', consent.kind],
      ['client_id', consent.client_id],
      ['status', consent.status],
      ['customer', consent.customer_id ?? '-'],
      ['grant', consent.grant_id ?? '-'],
      ['accounts', consent.account_ids?.join(', ') ?? (consent.debtor_account?.Identification ?? '-')],
      ['expires', consent.expires_at ? formatInstant(consent.expires_at) : '-'],
    ]));
    print('');
    print(formatTable(['WHEN', 'STATUS', 'BY', 'REASON'], history.map((change) => [formatInstant(change.changed_at), change.status, change.actor, change.reason ?? '-'])));
  },
};
