import type { SessionKind } from '../../shared/sessions/session-kind.ts';

/** The signed-in developer a request carries, as pages and services see them. */
export interface SignedInDeveloper {
  id: string;
  email: string;
  name: string;
}

/**
 * A developer's session: two hours without a request ends it, and twelve hours end it whatever
 * happens (a portal that can issue API keys should not stay open on a shared machine for days).
 * Use moves the idle expiry on, written at most every five minutes so that browsing the portal is
 * not a write per page.
 */
export const PORTAL_SESSIONS: SessionKind<SignedInDeveloper> = {
  cookie: '__Host-portcullis-portal-session',
  table: {
    name: 'portal_sessions',
    holderColumn: 'developer_id',
    holders: {
      table: 'portal_developers',
      columns: ['email', 'name'],
      read: (id, columns) => ({ id, email: String(columns['email']), name: String(columns['name']) }),
    },
  },
  idleSeconds: 2 * 3600,
  absoluteSeconds: 12 * 3600,
  extendAfterSeconds: 5 * 60,
};
