import { randomBytes, randomUUID } from 'node:crypto';

import { hashPassword } from '../../auth/customers/password-authenticator.ts';
import type { OperatorActor } from '../../events/event-catalogue.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import { endAllSessions } from '../../shared/sessions/sessions.service.ts';
import { OPERATOR_SESSIONS } from './operator-sessions.ts';
import type { OperatorRole } from './operator-role.ts';
import { findOperatorByEmail, insertOperator, listOperatorRows, markOperatorDisabled, updateOperatorRole, type OperatorRow } from './operator.store.ts';

/*
 * Operator accounts: created at the command line (or by an admin), listed, given another role,
 * disabled. Each change is announced, and so audited, with who made it. A disabled operator's
 * sessions end at once; the account stays, so the audit log keeps naming them.
 */

/** An operator as lists show them: never the password hash or TOTP secret. */
export interface OperatorSummary {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  enrolled: boolean;
  /** Signs in (or has signed in) through the organisation's OpenID Connect provider. */
  singleSignOn: boolean;
  createdAt: Date;
  disabledAt: Date | null;
}

export const summariseOperator = (row: OperatorRow): OperatorSummary => ({
  id: row.id, email: row.email, name: row.name, role: row.role, enrolled: row.totp_enrolled_at !== null, singleSignOn: row.oidc_subject !== null, createdAt: row.created_at, disabledAt: row.disabled_at,
});

/** An operator with this address exists already. */
export class OperatorExists extends Error {
  override name = 'OperatorExists';
}

/** A generated first password: 144 random bits, 24 characters, shown once to whoever creates the account. */
export const generateOperatorPassword = () => randomBytes(18).toString('base64url');

/**
 * Creates an operator with `password` (a generated one when none is given); throws
 * `OperatorExists` for an address already taken.
 *
 * @example
 * const { operator, password } = await createOperator(deps, { email: 'ops@bank.example', name: 'Ada', role: 'admin' }, 'ops');
 */
export async function createOperator(deps: ServiceContext, fields: { email: string; name: string; role: OperatorRole; password?: string }, actor: OperatorActor): Promise<{ operator: OperatorSummary; password: string }> {
  const password = fields.password ?? generateOperatorPassword();
  const row = { id: `op-${randomUUID()}`, email: fields.email.trim(), name: fields.name.trim(), role: fields.role, password_hash: await hashPassword(password), created_at: deps.clock.now() };
  if (!(await insertOperator(deps.db, row))) throw new OperatorExists(`an operator with the address ${row.email} exists already`);
  deps.events.emit('operator.created', { operatorId: row.id, role: row.role, actor });
  return { operator: summariseOperator({ ...row, email_key: '', oidc_subject: null, totp_secret_sealed: null, totp_enrolled_at: null, totp_last_step: null, disabled_at: null }), password };
}

export async function listOperators(deps: Pick<ServiceContext, 'db'>): Promise<OperatorSummary[]> {
  return (await listOperatorRows(deps.db)).map(summariseOperator);
}

export async function findOperator(deps: Pick<ServiceContext, 'db'>, email: string): Promise<OperatorSummary | undefined> {
  const row = await findOperatorByEmail(deps.db, email);
  return row && summariseOperator(row);
}

/** Gives an operator another role; false for an unknown operator. */
export async function changeOperatorRole(deps: ServiceContext, operatorId: string, role: OperatorRole, actor: OperatorActor): Promise<boolean> {
  const changed = await updateOperatorRole(deps.db, operatorId, role);
  if (!changed) return false;
  if (changed.from !== role) deps.events.emit('operator.role_changed', { operatorId, from: changed.from, to: role, actor });
  return true;
}

/** Disables an operator and ends their sessions; false when unknown or disabled already. */
export async function disableOperator(deps: ServiceContext, operatorId: string, actor: OperatorActor): Promise<boolean> {
  if (!(await markOperatorDisabled(deps.db, operatorId, deps.clock.now()))) return false;
  await endAllSessions(deps, OPERATOR_SESSIONS, operatorId);
  deps.events.emit('operator.disabled', { operatorId, actor });
  return true;
}
