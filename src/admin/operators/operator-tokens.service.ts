import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import type { Clock } from '../../shared/clock.ts';
import { hashSecretToken, newSecretToken } from '../../shared/secret-token.ts';
import type { OperatorRole } from './operator-role.ts';
import { findLiveOperatorToken, findOperatorTokenRow, insertOperatorToken, listOperatorTokenRows, markOperatorTokenRevoked, touchOperatorToken, type OperatorTokenRow } from './operator-token.store.ts';

/*
 * Operators' personal tokens for the admin API. A token acts as its operator with the role they
 * hold at the time of each call (a viewer's token only reads; a role changed or an operator
 * disabled changes or ends what their tokens may do at once). It is shown once; the store keeps its
 * SHA-256 (256 random bits need no slow hash) and its first characters, for telling tokens apart.
 * Every token expires, at most a year on; a token made with a token expires no later than it.
 */

/** What starts every personal token, so that a leaked one is recognisable (by secret scanners too). */
export const OPERATOR_TOKEN_PREFIX = 'pco_';
const OPERATOR_TOKEN = /^pco_[A-Za-z0-9_-]{43}$/;
/** The lifetimes an operator chooses from, in days. */
export const TOKEN_LIFETIME_DAYS = [7, 30, 90, 365] as const;
const DAY_MS = 86_400_000;
// Use is recorded at most once a minute per token: the admin API is not slowed by a write per call.
const TOUCH_AFTER_MS = 60_000;

export interface OperatorTokensDependencies {
  db: Knex;
  clock: Clock;
}

/** A token as lists and the audit show it: never the token or its hash. */
export interface OperatorTokenSummary {
  id: string;
  name: string;
  /** The token's first characters, `pco_` and six more. */
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  status: 'active' | 'expired' | 'revoked';
}

/** No such token of this operator. */
export class OperatorTokenNotFound extends Error {
  override name = 'OperatorTokenNotFound';
}

/** The token is revoked already. */
export class OperatorTokenRevoked extends Error {
  override name = 'OperatorTokenRevoked';
}

const summarise = (row: Omit<OperatorTokenRow, 'token_hash'>, now: Date): OperatorTokenSummary => ({
  id: row.id, name: row.name, prefix: row.prefix, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at,
  status: row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'active',
});

/**
 * A new token for `operatorId`, living `expiresInDays` (or less: never past `notAfter`). The token
 * itself is in the answer only.
 *
 * @example
 * const { token } = await createOperatorToken(deps, 'op-…', { name: 'deploy pipeline', expiresInDays: 30 });
 */
export async function createOperatorToken(deps: OperatorTokensDependencies, operatorId: string, fields: { name: string; expiresInDays: number }, notAfter?: Date): Promise<OperatorTokenSummary & { token: string }> {
  const now = deps.clock.now();
  const token = `${OPERATOR_TOKEN_PREFIX}${newSecretToken().token}`;
  const expiresAt = new Date(Math.min(now.getTime() + fields.expiresInDays * DAY_MS, notAfter?.getTime() ?? Infinity));
  const row = { id: `otk-${randomUUID()}`, operator_id: operatorId, name: fields.name.trim(), prefix: token.slice(0, OPERATOR_TOKEN_PREFIX.length + 6), token_hash: hashSecretToken(token), created_at: now, expires_at: expiresAt };
  await insertOperatorToken(deps.db, row);
  return { ...summarise({ ...row, last_used_at: null, revoked_at: null }, now), token };
}

export async function listOperatorTokens(deps: OperatorTokensDependencies, operatorId: string): Promise<OperatorTokenSummary[]> {
  const now = deps.clock.now();
  return (await listOperatorTokenRows(deps.db, operatorId)).map((row) => summarise(row, now));
}

/** One of the operator's tokens (any operator's when `operatorId` is undefined: the audit's reader); throws `OperatorTokenNotFound` for any other. */
export async function getOperatorToken(deps: OperatorTokensDependencies, operatorId: string | undefined, tokenId: string): Promise<OperatorTokenSummary> {
  const row = await findOperatorTokenRow(deps.db, tokenId, operatorId);
  if (!row) throw new OperatorTokenNotFound(`${tokenId} is not a token of yours`);
  return summarise(row, deps.clock.now());
}

/** Revokes one of the operator's tokens: it opens nothing from now on. */
export async function revokeOperatorToken(deps: OperatorTokensDependencies, operatorId: string, tokenId: string): Promise<OperatorTokenSummary> {
  if (!(await markOperatorTokenRevoked(deps.db, operatorId, tokenId, deps.clock.now()))) {
    const token = await getOperatorToken(deps, operatorId, tokenId);
    throw new OperatorTokenRevoked(`${token.id} was revoked already`);
  }
  return getOperatorToken(deps, operatorId, tokenId);
}

/** Who a presented personal token makes the caller; undefined for one that is malformed, unknown, revoked, expired or whose operator is disabled. */
export async function operatorTokenCaller(deps: OperatorTokensDependencies, presented: string): Promise<{ operatorId: string; role: OperatorRole; tokenExpiresAt: Date } | undefined> {
  if (!OPERATOR_TOKEN.test(presented)) return undefined;
  const now = deps.clock.now();
  const live = await findLiveOperatorToken(deps.db, hashSecretToken(presented), now);
  if (!live) return undefined;
  if (!live.lastUsedAt || now.getTime() - live.lastUsedAt.getTime() >= TOUCH_AFTER_MS) await touchOperatorToken(deps.db, live.id, now);
  return { operatorId: live.operatorId, role: live.role, tokenExpiresAt: live.expiresAt };
}
