import { parseArgs } from 'node:util';

import * as oc from 'openid-client';

import { EXIT_CODES } from '../../src/cli/command.ts';
import { loadEnvironmentConfig } from '../../src/cli/load-environment-config.ts';
import type { Config } from '../../src/config/config.ts';
import { runConsent } from './consent.command.ts';
import { DEMO_CONSENTS, type DemoConsentName } from './demo-consents.ts';
import { DemoFailed } from './demo-failure.ts';
import { builtInProfile, bundleProfile } from './demo-profile.ts';
import { createPartnerFetch } from './partner-http.ts';
import { openPartnerSession } from './partner-session.ts';
import { runRegister } from './register.command.ts';
import { runRevoke } from './revoke.command.ts';
import { runWalkthrough, WALKTHROUGH_CUSTOMER, WALKTHROUGH_REDIRECT_URI } from './walkthrough.command.ts';

/*
 * `npm run demo -- <command>`: a scripted partner (TPP) against a running Portcullis, to show, with
 * a real client library and nothing hidden, what a partner does. It finds Portcullis through the
 * environment `npm start` reads (ISSUER or HTTPS_PORT, MTLS_BASE_URL or MTLS_PORT, CERTS_DIR,
 * DATA_DIR), through the same schema. This file reads the command line, runs the command and turns
 * the outcome into an exit code (0, 1 failed, 64 usage, 78 configuration), as `npm run cli` does.
 */

// The listeners take 8443 to 8446 (browser, mutual TLS, gateway, admin); the demo's web front comes next.
const DEFAULT_CALLBACK_PORT = 8447;

const USAGE = `Usage: npm run demo -- [--config <file>] <command>

A scripted partner ("Demo Budgeting App") against a running Portcullis (npm start):

  register [--port <n>]            register with a software statement from the sandbox directory;
                                   its redirect URI is https://localhost:<n>/callback (default ${DEFAULT_CALLBACK_PORT})
  consent accounts|payment|funds   create a consent, send the customer to the bank to approve it,
                                   wait for them to come back, and show the outcome
  revoke <ConsentId>               withdraw an account access or funds confirmation consent
  walkthrough                      all of it with nobody at the keyboard: onboard at the sandbox
                                   directory, register with the bundle, have the test customer alice
                                   approve headlessly, read her accounts, balances and transactions
                                   through the gateway, then pay and read the payment's status

  --config <file>                  act as your own software instead: the demo-partner.config.json of
                                   the bundle the sandbox directory gave you (its transport
                                   certificate, signing key, software statement and redirect URI);
                                   the registration is kept beside that file

It reaches Portcullis as npm start would run it in this environment: ISSUER (or HTTPS_PORT),
MTLS_BASE_URL (or MTLS_PORT) unless the --config file names them, CERTS_DIR for the dev CA and
the sample client certificate, and DATA_DIR, where it keeps its registration in demo-partner.json.`;

type Command =
  | { command: 'register'; port: number }
  | { command: 'consent'; consent: DemoConsentName }
  | { command: 'revoke'; consentId: string }
  | { command: 'walkthrough' };

type Invocation = (Command & { configFile: string | undefined }) | { command: 'help' };

class UsageError extends Error {
  override name = 'UsageError';
}

function isDemoConsentName(value: string | undefined): value is DemoConsentName {
  return value !== undefined && Object.hasOwn(DEMO_CONSENTS, value);
}

/** Reads the command line; throws a `UsageError` for anything it does not know. */
function readInvocation(args: string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { port: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const { port, help, config: configFile } = parsed.values;
  if (help || parsed.positionals[0] === 'help') return { command: 'help' };
  if (port !== undefined && configFile !== undefined) throw new UsageError('--port goes without --config: the configuration file names the redirect URI');
  const command = readCommand(parsed.positionals, port);
  if (command.command === 'walkthrough' && configFile !== undefined) throw new UsageError('walkthrough makes its own software at the sandbox directory: it takes no --config');
  return { ...command, configFile };
}

function readCommand(positionals: string[], port: string | undefined): Command {
  const [command, ...rest] = positionals;
  if (port !== undefined && command !== 'register') throw new UsageError('--port is an option of register only');
  if (command === 'register' && rest.length === 0) {
    if (port !== undefined && !/^\d+$/.test(port)) throw new UsageError(`--port ${port}: not a port number`);
    const number = port === undefined ? DEFAULT_CALLBACK_PORT : Number(port);
    if (number < 1 || number > 65535) throw new UsageError(`--port ${port}: not a port number`);
    return { command: 'register', port: number };
  }
  if (command === 'consent' && rest.length === 1 && isDemoConsentName(rest[0])) return { command: 'consent', consent: rest[0] };
  if (command === 'revoke' && rest.length === 1) return { command: 'revoke', consentId: rest[0]! };
  if (command === 'walkthrough' && rest.length === 0) return { command: 'walkthrough' };
  throw new UsageError(command === undefined ? 'no command given' : `unknown command: ${positionals.join(' ')}`);
}

async function run(config: Config, invocation: Exclude<Invocation, { command: 'help' }>): Promise<void> {
  if (invocation.command === 'walkthrough') return runWalkthrough(config, WALKTHROUGH_CUSTOMER, WALKTHROUGH_REDIRECT_URI);
  const profile = invocation.configFile === undefined ? await builtInProfile(config) : await bundleProfile(config, invocation.configFile);
  const partnerFetch = await createPartnerFetch(config.certsDir, profile.transport);
  if (invocation.command === 'register') return runRegister(profile, partnerFetch, invocation.port);
  const session = await openPartnerSession(profile, partnerFetch);
  if (invocation.command === 'consent') return runConsent(session, invocation.consent);
  return runRevoke(session, invocation.consentId);
}

/**
 * What the partner reads when a step fails: the server's own answer (OAuth error or
 * `OBErrorResponse1`) as it came, or the chain of causes of a local failure.
 */
function describeFailure(error: unknown): string {
  if (error instanceof DemoFailed) return error.body === undefined ? error.message : `${error.message}:\n${JSON.stringify(error.body, null, 2)}`;
  if (error instanceof oc.ResponseBodyError) return `${error.message} (HTTP ${error.status}):\n${JSON.stringify(error.cause, null, 2)}`;
  const causes: string[] = [];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) causes.push(cause.message);
  if (causes.length === 0) return String(error);
  const refused = /ECONNREFUSED/.test(causes.join(' ')) ? '\nIs Portcullis running (npm start), with the same environment?' : '';
  return `${causes.join(': ')}${refused}`;
}

async function main(args: string[]): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = readInvocation(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
    return EXIT_CODES.usage;
  }
  if (invocation.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_CODES.ok;
  }
  const config = loadEnvironmentConfig((text) => process.stderr.write(`${text}\n`));
  if (!config) return EXIT_CODES.config;
  try {
    await run(config, invocation);
    return EXIT_CODES.ok;
  } catch (error) {
    process.stderr.write(`\nerror: ${describeFailure(error)}\n`);
    return EXIT_CODES.failed;
  }
}

process.exitCode = await main(process.argv.slice(2));
