import type { PendingConsent } from './authorization/pending-consent.service.ts';
import type { DashboardSession } from './dashboard/dashboard-session.ts';

declare module 'koa' {
  interface DefaultState {
    /** The consent the interaction's authorization is for, once resolved (none for sign-in only). */
    pendingConsent?: PendingConsent;
    /** The Connected apps dashboard's session, once its cookie has been checked (absent: signed out). */
    dashboardSession?: DashboardSession;
  }
}
