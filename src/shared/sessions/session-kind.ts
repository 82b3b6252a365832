import type { SessionTable } from './session.store.ts';

/*
 * What a browser part configures to have server-side sessions: its cookie, its table and its
 * lifetimes. Kept in the store rather than in a sealed cookie because a part must be able to end
 * every session of a user at once (signing out, a password reset, a disabled operator), which a
 * self-contained cookie cannot do.
 */

/** One part's sessions. Seconds throughout. */
export interface SessionKind<Holder> {
  /** The cookie that carries the token: a `__Host-` name of the part's own. */
  cookie: string;
  table: SessionTable<Holder>;
  /** How long a session lasts without a request. */
  idleSeconds: number;
  /** How long a session lasts whatever happens, from its start. */
  absoluteSeconds: number;
  /** How far the idle end must move before use writes it, so that browsing is not a write per page. */
  extendAfterSeconds: number;
  /** For a sign-in of two steps (with `table.stepColumn`): how long a session that has passed the first only lasts; use does not move it on. */
  firstStepSeconds?: number;
}
