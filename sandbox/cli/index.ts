import { EXIT_CODES } from '../../src/cli/command.ts';
import { loadEnvironmentConfig } from '../../src/cli/load-environment-config.ts';
import { SandboxUsageError, type SandboxCommand } from './sandbox-command.ts';
import { demoCommand } from './demo.command.ts';
import { seedCommand } from './seed.command.ts';

/*
 * `npm run sandbox -- <command>`: the sandbox bank's tools, against the store `npm start` uses
 * (same configuration). Each command lives in its own `*.command.ts`; this file picks it and turns
 * the outcome into an exit code.
 */

const COMMANDS: readonly SandboxCommand[] = [seedCommand, demoCommand];

const print = (text: string) => process.stdout.write(`${text}\n`);
const note = (text: string) => process.stderr.write(`${text}\n`);

function listHelp(): string {
  return ['usage: npm run sandbox -- <command> [options]', '', 'commands:', ...COMMANDS.map((command) => `  ${command.name.padEnd(8)} ${command.summary}`), '', ...COMMANDS.map((command) => command.usage)].join('\n');
}

async function runSandboxCli([name, ...args]: string[]): Promise<number> {
  if (name === undefined || name === '--help' || name === '-h') {
    (name ? print : note)(listHelp());
    return name ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    note(`error: unknown command: ${name}\n\n${listHelp()}`);
    return EXIT_CODES.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    print(`${command.usage}\n\n${command.summary}`);
    return EXIT_CODES.ok;
  }
  const config = loadEnvironmentConfig(note);
  if (!config) return EXIT_CODES.config;
  try {
    await command.run({ config, args, print, note });
    return EXIT_CODES.ok;
  } catch (error) {
    note(`error: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof SandboxUsageError ? EXIT_CODES.usage : EXIT_CODES.failed;
  }
}

process.exitCode = await runSandboxCli(process.argv.slice(2));
