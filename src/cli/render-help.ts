import type { Command } from './command.ts';

const PROGRAM = 'npm run cli --';
const WIDTH = 100;

const FOOTER = [
  'Configuration is read as `npm start` reads it: DATABASE_URL, or else PGlite under DATA_DIR; KEY_ENCRYPTION_KEY, or outside production the development secrets in DATA_DIR/dev-secrets.json; and the rest of the environment.',
  'PGlite serves one process at a time: on the embedded store, stop Portcullis before running a command.',
  'Exit codes: 0 done, 1 the operation failed, 64 usage error, 78 configuration error.',
];

/** Wraps prose paragraphs to the terminal width; indented lines (examples) stay as written. */
function wrap(text: string): string {
  return text.split('\n').map((line) => {
    if (line.startsWith(' ') || line.length <= WIDTH) return line;
    const lines: string[] = [];
    let current = '';
    for (const word of line.split(' ')) {
      if (current && current.length + 1 + word.length > WIDTH) {
        lines.push(current);
        current = word;
      } else {
        current = current ? `${current} ${word}` : word;
      }
    }
    return [...lines, current].join('\n');
  }).join('\n');
}

function commandList(commands: readonly Command[]): string {
  const names = commands.map((command) => [...command.words, ...command.arguments].join(' '));
  const width = Math.max(...names.map((name) => name.length));
  return commands.map((command, index) => `  ${names[index]!.padEnd(width)}  ${command.summary}`).join('\n');
}

/** `npm run cli -- clients register <file.json> [--replace]` */
export function usageLine(command: Command): string {
  const flags = Object.entries(command.flags).map(([name, flag]) => (flag.value ? `--${name} ${flag.value}` : `[--${name}]`));
  return `Usage: ${[PROGRAM, ...command.words, ...command.arguments, ...flags].join(' ')}`;
}

/** Help for the whole CLI, or for the commands under one word (`keys`, `clients`). */
export function listHelp(commands: readonly Command[], group?: string): string {
  const shown = group ? commands.filter((command) => command.words[0] === group) : commands;
  return wrap([
    `Usage: ${PROGRAM} ${group ? `${group} <command>` : '<command>'} [--help]`,
    `Commands:\n${commandList(shown)}`,
    `Run \`${PROGRAM} <command> --help\` for what a command does.`,
    ...FOOTER,
  ].join('\n\n'));
}

export function commandHelp(command: Command): string {
  const flags = [...Object.entries(command.flags).map(([name, flag]) => [flag.value ? `--${name} ${flag.value}` : `--${name}`, flag.description]), ['-h, --help', 'show this help']];
  const width = Math.max(...flags.map(([name]) => name!.length));
  return wrap([
    usageLine(command),
    command.description,
    `Options:\n${flags.map(([name, description]) => `  ${name!.padEnd(width)}  ${description}`).join('\n')}`,
    ...FOOTER,
  ].join('\n\n'));
}
