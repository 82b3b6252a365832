import type { OrganisationRow } from './directory-register.store.ts';

declare module 'koa' {
  interface DefaultState {
    /** The sandbox directory's validated request body. */
    sandboxBody?: unknown;
    /** The organisation whose token the request bears (onboarding API). */
    sandboxOrganisation?: OrganisationRow;
  }
}

export {};
