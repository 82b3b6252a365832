import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

import { cliWorkspace } from './run-cli.ts';

const COMMANDS = ['migrate', 'keys list', 'keys rotate', 'clients register', 'clients list', 'clients delete'];

test('no command is a usage error (64) that lists the commands', async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  const result = await cli.run([]);
  assert.equal(result.code, 64);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^error: no command given\n/);
  for (const command of COMMANDS) assert.ok(result.stderr.includes(`  ${command}`), command);
});

test('--help lists every command and the exit codes, on stdout, with exit 0', async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  for (const flag of ['--help', '-h']) {
    const result = await cli.run([flag]);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    for (const command of COMMANDS) assert.ok(result.stdout.includes(`  ${command}`), command);
    assert.match(result.stdout, /Exit codes: 0 done, 1 the operation failed, 64 usage error, 78 configuration error\./);
  }
});

test('every command has its own --help, starting with its usage line', async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  const usage: Record<string, string> = {
    'migrate': 'Usage: npm run cli -- migrate\n',
    'keys list': 'Usage: npm run cli -- keys list\n',
    'keys rotate': 'Usage: npm run cli -- keys rotate [--now]\n',
    'clients register': 'Usage: npm run cli -- clients register <file.json> [--replace]\n',
    'clients list': 'Usage: npm run cli -- clients list\n',
    'clients delete': 'Usage: npm run cli -- clients delete <client_id>\n',
  };
  for (const [command, line] of Object.entries(usage)) {
    const result = await cli.run([...command.split(' '), '--help']);
    assert.equal(result.code, 0, command);
    assert.ok(result.stdout.startsWith(line), `${command}: ${result.stdout.slice(0, 80)}`);
  }
  const remove = await cli.run(['clients', 'delete', '--help']);
  assert.match(remove.stdout, /It revokes nothing else: grants, access and refresh tokens and consents/);
});

test('a group alone lists its commands: with --help on stdout (0), without as a usage error (64)', async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  const help = await cli.run(['keys', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: npm run cli -- keys <command> \[--help\]\n/);
  assert.ok(help.stdout.includes('  keys rotate') && !help.stdout.includes('clients'));
  const bare = await cli.run(['clients']);
  assert.equal(bare.code, 64);
  assert.match(bare.stderr, /^error: clients: no command given\n/);
});

test('wrong command lines are usage errors (64) naming the problem, and touch nothing', async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /^error: unknown command: frobnicate\n/],
    [['keys', 'spin'], /^error: unknown command: keys spin\n/],
    [['keys', 'list', 'extra'], /^error: unexpected argument: extra\nUsage: npm run cli -- keys list\n/],
    [['clients', 'register'], /^error: missing <file.json>\nUsage: npm run cli -- clients register <file.json> \[--replace\]\n/],
    [['clients', 'delete'], /^error: missing <client_id>\n/],
    [['keys', 'rotate', '--force'], /^error: Unknown option '--force'/],
    [['migrate', '--replace'], /^error: Unknown option '--replace'/],
  ];
  for (const [args, message] of cases) {
    const result = await cli.run(args);
    assert.equal(result.code, 64, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
    assert.equal(result.stdout, '');
  }
  assert.equal(existsSync(cli.env['DATA_DIR']!), false, 'no store or secrets were created');
});

test('a bad configuration exits 78 naming the option, before anything is opened', async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  const port = await cli.run(['keys', 'list'], { HTTPS_PORT: 'eighty' });
  assert.equal(port.code, 78);
  assert.match(port.stderr, /^invalid configuration:\n {2}HTTPS_PORT: /);
  const production = await cli.run(['migrate'], { NODE_ENV: 'production' });
  assert.equal(production.code, 78);
  assert.match(production.stderr, /KEY_ENCRYPTION_KEY: required when NODE_ENV=production/);
  assert.equal(existsSync(cli.env['DATA_DIR']!), false);
});

test('a usage error wins over a bad configuration', async (t) => {
  const cli = await cliWorkspace((cleanup) => t.after(cleanup));
  const result = await cli.run(['keys', 'list', 'extra'], { HTTPS_PORT: 'eighty' });
  assert.equal(result.code, 64);
});
