import type { ParseArgsOptionsConfig } from 'node:util';

import type { Config } from '../config/config.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Clock } from '../shared/clock.ts';

/** sysexits(3) codes the CLI ends with, so that scripts can tell a typo from a failure. */
export const EXIT_CODES = { ok: 0, failed: 1, usage: 64, config: 78 } as const;

/** What every command is handed: the configuration `npm start` would run with, its outputs, and the bus and clock services work with. */
export interface CliContext {
  config: Config;
  /** The bus ops changes are announced on, as the server's are. */
  events: EventBus;
  clock: Clock;
  /** Writes a line of the result to stdout (what a script would read). */
  print(line: string): void;
  /** Writes a note or warning to stderr. */
  note(line: string): void;
}

export interface CommandInput {
  positionals: string[];
  /** Each flag given: true for a switch, its text for a flag that takes a value. */
  flags: Record<string, boolean | string | undefined>;
}

/** One CLI command: the words that select it, its help, and what it does. */
export interface Command {
  /** The words that select it, e.g. `['keys', 'rotate']`. */
  words: readonly string[];
  /** Its positional arguments as usage shows them, e.g. `['<file.json>']`: required, or optional when bracketed (`'[file.yaml]'`, after the required ones). */
  arguments: readonly string[];
  /** Flags besides `--help`, each with its help line: switches, or (with `value`, the placeholder usage shows) flags that take a value. */
  flags: Readonly<Record<string, { description: string; value?: string }>>;
  /** One line for the command list. */
  summary: string;
  /** Paragraphs shown by `--help` under the usage line. */
  description: string;
  run(context: CliContext, input: CommandInput): Promise<void>;
}

/** Flag definitions for `parseArgs`. */
export function parseArgsOptions(command: Command): ParseArgsOptionsConfig {
  const options: ParseArgsOptionsConfig = { help: { type: 'boolean', short: 'h' } };
  for (const [name, flag] of Object.entries(command.flags)) options[name] = { type: flag.value ? 'string' : 'boolean' };
  return options;
}

/** The command line was wrong (EX_USAGE, 64). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command ran and could not do what was asked (exit 1); the message says why. */
export class CommandFailed extends Error {
  override name = 'CommandFailed';
}
