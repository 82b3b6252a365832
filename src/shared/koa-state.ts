/*
 * Per-request data, typed in one declaration per part (Koa's `DefaultState`, augmented): this file
 * holds what the shared middleware sets; each part declares its own next to its code
 * (`auth/interactions/interaction-state.ts`, `consent/consent-state.ts`), so that `shared/`
 * depends on no part.
 */
declare module 'koa' {
  interface DefaultState {
    /** The `x-fapi-interaction-id` of this request (received or generated). */
    fapiInteractionId?: string;
    /** The validated form fields of a browser POST. */
    form?: Record<string, string>;
  }
}

export {};
