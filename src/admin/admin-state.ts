import type { PageRequest } from '../gateway/page.ts';

declare module 'koa' {
  interface DefaultState {
    /** The admin API's parsed JSON request body, checked by the service it is handed to. */
    adminBody?: unknown;
    /** The admin API's list query: which page, and the filters the endpoint allows. */
    adminList?: { page: PageRequest; filters: Record<string, string | undefined> };
  }
}

export {};
