import type { InteractionDetails } from '../auth/interactions/load-interaction.ts';

declare module 'koa' {
  /** Per-request data, in one typed place. */
  interface DefaultState {
    /** The `x-fapi-interaction-id` of this request (received or generated). */
    fapiInteractionId?: string;
    /** The authorization interaction a login or consent page works on. */
    interaction?: InteractionDetails;
    /** The validated form fields of a browser POST. */
    form?: Record<string, string>;
  }
}
