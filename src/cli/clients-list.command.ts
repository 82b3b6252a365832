import { listRegisteredClients } from '../auth/clients/clients.service.ts';
import type { Command } from './command.ts';
import { formatInstant, formatTable } from './format-table.ts';
import { withStore } from './with-store.ts';

function text(value: string | undefined): string {
  return value ?? '-';
}

export const clientsListCommand: Command = {
  words: ['clients', 'list'],
  arguments: [],
  flags: {},
  summary: 'list the registered clients',
  description: 'Lists every registered client, oldest first: client_id, client_name, token endpoint authentication method, FAPI profile, software_id (for clients registered with a software statement) and when it was registered.',
  async run({ config, print, events, clock }) {
    const clients = await withStore({ config, events, clock }, listRegisteredClients);
    if (clients.length === 0) {
      print('No clients registered.');
      return;
    }
    print(formatTable(
      ['CLIENT_ID', 'NAME', 'AUTH METHOD', 'FAPI', 'SOFTWARE_ID', 'REGISTERED'],
      clients.map((client) => [
        client.clientId,
        text(client.name),
        text(client.authMethod),
        text(client.fapiProfile),
        text(client.softwareId),
        formatInstant(client.registeredAt),
      ]),
    ));
  },
};
