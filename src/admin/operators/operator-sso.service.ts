import { randomUUID } from 'node:crypto';

import type { ConsoleSsoConfig } from '../../config/config.ts';
import type { OperatorSsoRefusal } from '../../events/event-catalogue.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import { startSession, type StartedSession } from '../../shared/sessions/sessions.service.ts';
import { OPERATOR_SESSIONS } from './operator-sessions.ts';
import type { SsoIdentity } from './operator-sso-client.ts';
import { roleFromClaims } from './operator-sso-role.ts';
import { bindOperatorSubject, findOperatorByEmail, findOperatorBySubject, insertOperator, operatorEmailKey, updateOperatorRole, type OperatorRow } from './operator.store.ts';

/*
 * Who a person the organisation's provider vouches for is in the console. They are the operator
 * their `sub` was bound to at an earlier sign-in, or else the operator with their verified address
 * (whose `sub` is then bound). Someone unknown is refused, unless the provider's role claim is
 * mapped to console roles: then they are added with the role it grants, and at every sign-in a
 * changed claim changes the role (the provider is the authority on roles once mapped; one that
 * grants none refuses). A disabled operator is refused.
 *
 * The provider's own authentication stands for both factors: a single sign-on session asks no
 * TOTP code. The organisation's provider is where its people's MFA is enforced (and reset, and
 * ended when they leave); a second, console-only factor would be one more secret to recover
 * without making a stolen provider session much harder to use. How it authenticated them (`acr`,
 * `amr`) is recorded with the sign-in.
 */

export type SsoSignInResult = { passed: StartedSession } | { refused: OperatorSsoRefusal; message: string };

const MESSAGES: Readonly<Record<Exclude<OperatorSsoRefusal, 'provider-refused' | 'invalid-response' | 'unreachable'>, string>> = {
  unknown: 'There is no console account for you. Ask an admin to add you with the address your organisation\'s sign-in gives.',
  disabled: 'Your console account has been disabled. Ask an admin if you need it again.',
  'no-role': 'Your organisation\'s sign-in gives you no role in the console. Ask whoever manages your groups.',
  'subject-mismatch': 'Your address belongs to a console account that signs in with another identity. Ask an admin.',
};

export interface OperatorSsoDependencies extends ServiceContext {
  roles: ConsoleSsoConfig['roles'];
}

async function provision(deps: OperatorSsoDependencies, identity: SsoIdentity, role: OperatorRow['role']): Promise<OperatorRow | undefined> {
  const id = `op-${randomUUID()}`;
  const email = identity.email!.trim();
  const inserted = await insertOperator(deps.db, { id, email, name: identity.name?.trim() || email, role, password_hash: null, oidc_subject: identity.subject, created_at: deps.clock.now() });
  if (!inserted) return undefined;
  deps.events.emit('operator.created', { operatorId: id, role, actor: 'system' });
  return findOperatorBySubject(deps.db, identity.subject);
}

/** Signs in the person `identity` names: a full session, or why not (announced either way, and so audited). */
export async function signInWithSso(deps: OperatorSsoDependencies, identity: SsoIdentity): Promise<SsoSignInResult> {
  const email = identity.emailVerified && identity.email ? identity.email : undefined;
  const refuse = (reason: keyof typeof MESSAGES, operatorId?: string): SsoSignInResult => {
    deps.events.emit('operator.sign_in_failed', { email: email ? operatorEmailKey(email) : '', step: 'sso', reason, ...(operatorId ? { operatorId } : {}), actor: 'system' });
    return { refused: reason, message: MESSAGES[reason] };
  };
  const granted = deps.roles ? roleFromClaims(identity.claims, deps.roles) : undefined;
  let operator = (await findOperatorBySubject(deps.db, identity.subject)) ?? (email ? await findOperatorByEmail(deps.db, email) : undefined);
  if (operator?.oidc_subject && operator.oidc_subject !== identity.subject) return refuse('subject-mismatch', operator.id);
  if (!operator) {
    if (granted === undefined || !email) return refuse('unknown');
    if (granted === null) return refuse('no-role');
    operator = await provision(deps, identity, granted);
    if (!operator) return refuse('unknown');
  }
  if (operator.disabled_at) return refuse('disabled', operator.id);
  if (granted === null) return refuse('no-role', operator.id);
  if (granted && granted !== operator.role) {
    await updateOperatorRole(deps.db, operator.id, granted);
    deps.events.emit('operator.role_changed', { operatorId: operator.id, from: operator.role, to: granted, actor: 'system' });
  }
  if (!operator.oidc_subject && !(await bindOperatorSubject(deps.db, operator.id, identity.subject))) return refuse('subject-mismatch', operator.id);
  deps.events.emit('operator.signed_in', {
    operatorId: operator.id, actor: `operator:${operator.id}`, method: 'sso', ...(identity.acr ? { acr: identity.acr } : {}), ...(identity.amr ? { amr: identity.amr } : {}),
  });
  return { passed: await startSession(deps, OPERATOR_SESSIONS, operator.id) };
}
