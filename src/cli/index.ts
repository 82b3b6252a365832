import { parseArgs } from 'node:util';

import { keepPgliteOnBaselineCompiler } from '../db/pglite-baseline-compiler.ts';
import { createEventBus } from '../events/event-bus.ts';
import { systemClock } from '../shared/clock.ts';

import { auditVerifyCommand } from './audit-verify.command.ts';
import { clientsDeleteCommand } from './clients-delete.command.ts';
import { clientsListCommand } from './clients-list.command.ts';
import { clientsRegisterCommand } from './clients-register.command.ts';
import { consentsRevokeCommand } from './consents-revoke.command.ts';
import { consentsShowCommand } from './consents-show.command.ts';
import { gatewayApplyCommand } from './gateway-apply.command.ts';
import { gatewayExportCommand } from './gateway-export.command.ts';
import { EXIT_CODES, parseArgsOptions, UsageError, type CliContext, type Command, type CommandInput } from './command.ts';
import { keysListCommand } from './keys-list.command.ts';
import { loadEnvironmentConfig } from './load-environment-config.ts';
import { keysRotateCommand } from './keys-rotate.command.ts';
import { migrateCommand } from './migrate.command.ts';
import { operatorsAddCommand } from './operators-add.command.ts';
import { operatorsListCommand } from './operators-list.command.ts';
import { commandHelp, listHelp, usageLine } from './render-help.ts';

/*
 * `npm run cli -- <command>`: operator tasks against the store `npm start` uses. This file only
 * picks the command, checks the command line and turns each outcome into an exit code; every
 * command lives in its own `*.command.ts`.
 */

// A command is over in a second or two: too soon for PGlite's optimized code to pay for its compiling.
keepPgliteOnBaselineCompiler();

const COMMANDS: readonly Command[] = [migrateCommand, keysListCommand, keysRotateCommand, clientsRegisterCommand, clientsListCommand, clientsDeleteCommand, consentsShowCommand, consentsRevokeCommand, gatewayApplyCommand, gatewayExportCommand, auditVerifyCommand, operatorsAddCommand, operatorsListCommand];
const GROUPS = new Set(COMMANDS.map((command) => command.words[0]));

const print = (text: string) => process.stdout.write(`${text}\n`);
const note = (text: string) => process.stderr.write(`${text}\n`);

type Selection = { command: Command; input: CommandInput } | { help: string };

/** Reads the command line; throws a `UsageError` (with the usage to show) for anything wrong. */
function selectCommand(args: string[]): Selection {
  const loose = parseArgs({ args, allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } });
  const words = loose.positionals;
  const command = COMMANDS.find((candidate) => candidate.words.every((word, index) => words[index] === word));
  if (!command) {
    const group = GROUPS.has(words[0] ?? '') ? words[0] : undefined;
    if (loose.values.help && words.length <= (group ? 1 : 0)) return { help: listHelp(COMMANDS, group) };
    const problem = words.length === 0 ? 'no command given' : group && words.length === 1 ? `${group}: no command given` : `unknown command: ${words.join(' ')}`;
    throw new UsageError(`${problem}\n\n${listHelp(COMMANDS, group)}`);
  }
  if (loose.values.help) return { help: commandHelp(command) };
  const seeHelp = `${usageLine(command)}\nRun \`npm run cli -- ${command.words.join(' ')} --help\` for details.`;
  let strict;
  try {
    strict = parseArgs({ args, allowPositionals: true, strict: true, options: parseArgsOptions(command) });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${seeHelp}`, { cause: error });
  }
  const positionals = strict.positionals.slice(command.words.length);
  const required = command.arguments.filter((argument) => !argument.startsWith('[')).length;
  if (positionals.length < required || positionals.length > command.arguments.length) {
    const problem = positionals.length < command.arguments.length ? `missing ${command.arguments.slice(positionals.length).join(' ')}` : `unexpected argument: ${positionals[command.arguments.length]}`;
    throw new UsageError(`${problem}\n${seeHelp}`);
  }
  return { command, input: { positionals, flags: strict.values as Record<string, boolean | undefined> } };
}

/** What an operator reads when the command fails: oidc-provider's errors keep their code and description. */
function describeFailure(error: unknown): string {
  const oauth = (error ?? {}) as { error?: unknown; error_description?: unknown };
  if (typeof oauth.error === 'string' && typeof oauth.error_description === 'string') return `${oauth.error}: ${oauth.error_description}`;
  return error instanceof Error ? error.message : String(error);
}

async function runCli(args: string[]): Promise<number> {
  let selection: Selection;
  try {
    selection = selectCommand(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    note(`error: ${error.message}`);
    return EXIT_CODES.usage;
  }
  if ('help' in selection) {
    print(selection.help);
    return EXIT_CODES.ok;
  }
  const config = loadEnvironmentConfig(note);
  if (!config) return EXIT_CODES.config;
  const clock = systemClock;
  const events = createEventBus({ clock, onListenerError: (error, event) => note(`warning: a listener of ${event.name} failed: ${describeFailure(error)}`) });
  const context: CliContext = { config, print, note, events, clock };
  try {
    await selection.command.run(context, selection.input);
    return EXIT_CODES.ok;
  } catch (error) {
    note(`error: ${describeFailure(error)}`);
    // A command that checks its own arguments' values (an address, a role) reports a usage error too.
    return error instanceof UsageError ? EXIT_CODES.usage : EXIT_CODES.failed;
  }
}

process.exitCode = await runCli(process.argv.slice(2));
