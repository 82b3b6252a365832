import { listOperators } from '../admin/operators/operators.service.ts';
import type { Command } from './command.ts';
import { formatInstant, formatTable } from './format-table.ts';
import { withStore } from './with-store.ts';

export const operatorsListCommand: Command = {
  words: ['operators', 'list'],
  arguments: [],
  flags: {},
  summary: 'list the console operators',
  description: 'Lists every console operator, oldest first: email address, name, role, whether their authenticator app is set up, when they were added, and when they were disabled (if they were).',
  async run({ config, print, events, clock }) {
    const operators = await withStore({ config, events, clock }, (db) => listOperators({ db }));
    if (operators.length === 0) {
      print('No operators. Add one with `npm run cli -- operators add <email> --name <name> --role admin`.');
      return;
    }
    print(formatTable(
      ['EMAIL', 'NAME', 'ROLE', 'TOTP', 'ADDED', 'DISABLED'],
      operators.map((operator) => [operator.email, operator.name, operator.role, operator.enrolled ? 'set up' : 'not yet', formatInstant(operator.createdAt), operator.disabledAt ? formatInstant(operator.disabledAt) : '-']),
    ));
  },
};
