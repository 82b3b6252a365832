import { isOperatorRole, OPERATOR_ROLES } from '../admin/operators/operator-role.ts';
import { createOperator, OperatorExists } from '../admin/operators/operators.service.ts';
import { CommandFailed, UsageError, type Command } from './command.ts';
import { withStore } from './with-store.ts';

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const operatorsAddCommand: Command = {
  words: ['operators', 'add'],
  arguments: ['<email>'],
  flags: {
    name: { value: '<name>', description: 'the operator\'s name, as the console shows it' },
    role: { value: `<${OPERATOR_ROLES.join('|')}>`, description: 'viewer sees everything and changes nothing; operator runs the API programme; admin also manages operators' },
  },
  summary: 'add a console operator, printing their first password',
  description: [
    'Adds an operator to the ops console (https://<ISSUER>/console) and prints a generated first password, once: give it to them by a safe channel. At their first sign-in they set up an authenticator app (TOTP), whose code every sign-in then asks for.',
    'Example:\n  npm run cli -- operators add ada@bank.example --name "Ada Lovelace" --role admin',
  ].join('\n\n'),
  async run({ config, print, events, clock }, { positionals: [email], flags }) {
    const { name, role } = flags;
    if (!ADDRESS.test(email!) || email!.length > 254) throw new UsageError(`not an email address: ${email}`);
    if (typeof name !== 'string' || !name.trim() || name.length > 100) throw new UsageError('--name <name> is required (at most 100 characters)');
    if (!isOperatorRole(role)) throw new UsageError(`--role must be one of ${OPERATOR_ROLES.join(', ')}`);
    const created = await withStore({ config, events, clock }, async (db) => {
      try {
        return await createOperator({ db, events, clock }, { email: email!, name, role }, 'ops');
      } catch (error) {
        if (error instanceof OperatorExists) throw new CommandFailed(error.message, { cause: error });
        throw error;
      }
    });
    print(`Added ${created.operator.role} ${created.operator.email} (${created.operator.id}).`);
    print(`First password (shown once): ${created.password}`);
  },
};
