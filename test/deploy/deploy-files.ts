import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { parseAllDocuments } from 'yaml';

import { loadConfig } from '../../src/config/config.ts';
import { envSchema, ROLE_NAMES } from '../../src/config/env.schema.ts';
import { HEALTH_PATHS } from '../../src/observability/health.routes.ts';

/*
 * What the deployment files' tests share: reading them as their tools would (YAML with merge keys,
 * Compose's variable interpolation), and the checks every place that starts an instance must pass
 * (its environment is one Portcullis reads and would start with, its roles open the listener its
 * probes ask).
 */

const root = new URL('../../', import.meta.url);

export function readRepoFile(path: string): string {
  return readFileSync(new URL(path, root), 'utf8');
}

/** Every document of a YAML file, with `<<` merge keys applied as Compose applies them; any YAML error fails. */
export function readYamlDocuments(path: string, text = readRepoFile(path)): unknown[] {
  return parseAllDocuments(text, { merge: true }).map((document, index) => {
    assert.deepEqual(document.errors.map(String), [], `${path}, document ${index + 1}`);
    assert.deepEqual(document.warnings.map(String), [], `${path}, document ${index + 1}`);
    return document.toJS();
  });
}

/** `NAME=value` lines, as Compose reads an env file (comments and blank lines skipped). */
export function readEnvFile(path: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readRepoFile(path).split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    assert.ok(at > 0, `${path}: not NAME=value: ${line}`);
    entries.set(line.slice(0, at), line.slice(at + 1));
  }
  return entries;
}

/**
 * Compose's interpolation (`$NAME` is not used in our files): `${NAME}`, `${NAME:-default}`,
 * `${NAME-default}`, `${NAME:?error}`, `${NAME?error}`. Returns the text and every name it met.
 */
export function interpolate(text: string, variables: ReadonlyMap<string, string>): { text: string; names: Set<string> } {
  const names = new Set<string>();
  const result = text.replace(/\$\{([A-Z0-9_]+)(?:(:?)([-?])([^}]*))?\}/g, (_match, name: string, colon: string, kind: string | undefined, argument: string) => {
    names.add(name);
    const value = variables.get(name);
    const missing = value === undefined || (colon === ':' && value === '');
    if (!missing) return value;
    if (kind === '-') return argument;
    throw new Error(`${name} is not set${kind === '?' ? `: ${argument}` : ''}`);
  });
  return { text: result, names };
}

/** The secrets Portcullis reads: never a literal value in a deployment file. */
export const SECRET_VARIABLES = ['KEY_ENCRYPTION_KEY', 'COOKIE_KEYS', 'DPOP_NONCE_SECRET', 'ADMIN_TOKEN', 'DATABASE_URL', 'REDIS_URL', 'SMTP_URL'] as const;

/** Stand-ins for the secrets an operator supplies, each of the form its variable needs. */
export const SAMPLE_SECRETS: ReadonlyMap<string, string> = new Map([
  ['KEY_ENCRYPTION_KEY', Buffer.alloc(32, 1).toString('base64url')],
  ['COOKIE_KEYS', 'c'.repeat(32)],
  ['DPOP_NONCE_SECRET', Buffer.alloc(32, 2).toString('base64url')],
  ['ADMIN_TOKEN', 'a'.repeat(32)],
  ['DATABASE_URL', 'postgres://portcullis:secret@postgres.internal:5432/portcullis'],
  ['REDIS_URL', 'rediss://:secret@redis.internal:6379'],
  ['SMTP_URL', 'smtp://user:secret@smtp.bank.example:587'],
  ['POSTGRES_PASSWORD', 'secret'],
  ['REDIS_PASSWORD', 'secret'],
]);

/**
 * An instance's environment must hold only variables `src/config/env.schema.ts` knows, and be
 * one `loadConfig` accepts (each value's form, and the checks across options: production's
 * required settings, a certificate header only with trusted proxies, …).
 */
export function assertStartableEnvironment(where: string, environment: Record<string, string>): ReturnType<typeof loadConfig> {
  const known = new Set(Object.keys(envSchema.shape));
  const unknown = Object.keys(environment).filter((name) => !known.has(name));
  assert.deepEqual(unknown, [], `${where}: variables Portcullis does not read`);
  assert.ok(environment['ROLES'], `${where}: ROLES is set`);
  for (const role of environment['ROLES'].split(',')) assert.ok((ROLE_NAMES as readonly string[]).includes(role), `${where}: ${role} is a role`);
  try {
    return loadConfig(environment);
  } catch (error) {
    assert.fail(`${where}: ${(error as Error).message}`);
  }
}

/** The listener a default port belongs to, and the roles that open it (src/server/roles/). */
export const LISTENERS: ReadonlyMap<number, { name: string; roles: readonly string[] }> = new Map([
  [8443, { name: 'browser', roles: ['auth', 'portal', 'console'] }],
  [8444, { name: 'partner', roles: ['auth', 'gateway'] }],
  [8445, { name: 'public', roles: ['gateway'] }],
  [8446, { name: 'admin', roles: ['gateway', 'console'] }],
]);

/** Whether a process with these roles opens the listener on this (default) port. */
export function opensListener(roles: string, port: number): boolean {
  const listener = LISTENERS.get(port);
  return listener !== undefined && roles.split(',').some((role) => listener.roles.includes(role));
}

/** The paths `src/observability/health.routes.ts` answers: what a probe may ask. */
export function healthPaths(): Set<string> {
  const paths = new Set<string>(Object.values(HEALTH_PATHS));
  assert.deepEqual([...paths].sort(), ['/healthz', '/readyz']);
  return paths;
}
