import type { InteractionDetails } from './load-interaction.ts';

declare module 'koa' {
  interface DefaultState {
    /** The authorization interaction a sign-in or consent page works on. */
    interaction?: InteractionDetails;
  }
}
