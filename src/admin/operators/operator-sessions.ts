import type { SessionKind } from '../../shared/sessions/session-kind.ts';
import type { OperatorRole } from './operator-role.ts';

/** The operator a session belongs to, as the console sees them. */
export interface SessionOperator {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  enrolled: boolean;
}

/**
 * An operator's console session: shorter than a developer's, since the console changes what every
 * partner sees. Thirty minutes without a request end it, and eight hours (a working day) end it
 * whatever happens. A session that has passed the password only lasts five minutes, time enough to
 * type a code or set up an authenticator app, and opens no console page. Use moves the idle expiry
 * on, written at most once a minute. Disabling an operator signs them out at their next request.
 */
export const OPERATOR_SESSIONS: SessionKind<SessionOperator> = {
  cookie: '__Host-portcullis-console-session',
  table: {
    name: 'operator_sessions',
    holderColumn: 'operator_id',
    stepColumn: 'second_factor',
    holders: {
      table: 'operators',
      columns: ['email', 'name', 'role', 'totp_enrolled_at'],
      disabledColumn: 'disabled_at',
      read: (id, columns) => ({ id, email: String(columns['email']), name: String(columns['name']), role: columns['role'] as OperatorRole, enrolled: columns['totp_enrolled_at'] !== null }),
    },
  },
  idleSeconds: 30 * 60,
  absoluteSeconds: 8 * 3600,
  extendAfterSeconds: 60,
  firstStepSeconds: 5 * 60,
};
