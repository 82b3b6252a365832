import type { CallerIdentity } from '../../src/gateway/upstream/caller-identity.ts';

/** What the bank core knows of a request once the gateway's identity header verified. */
export interface BankCoreCall {
  identity: CallerIdentity;
  /**
   * Where the caller sees this API (`https://gateway.example/open-banking/v3.1/aisp`): the
   * gateway's forwarded host, protocol and base path, else the bank core's own URL. Links start here.
   */
  linkBase: string;
}

declare module 'koa' {
  interface DefaultState {
    bankCore?: BankCoreCall;
  }
}
