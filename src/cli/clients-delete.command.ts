import { deleteClientByOps } from '../auth/clients/clients.service.ts';
import { CommandFailed, type Command } from './command.ts';
import { withStore } from './with-store.ts';

export const clientsDeleteCommand: Command = {
  words: ['clients', 'delete'],
  arguments: ['<client_id>'],
  flags: {},
  summary: 'delete a client registration',
  description: [
    'Deletes the client\'s registration: from then on it can no longer authenticate, so it cannot obtain, refresh or introspect tokens.',
    'It revokes nothing else: grants, access and refresh tokens and consents issued to the client are left in the store until they expire. Revoke them first if they must stop working now.',
  ].join('\n\n'),
  async run({ config, print, events, clock }, { positionals: [clientId] }) {
    if (!(await withStore({ config, events, clock }, (db) => deleteClientByOps({ db, events }, clientId!)))) throw new CommandFailed(`no client ${clientId} is registered`);
    print(`Deleted client ${clientId}.`);
  },
};
