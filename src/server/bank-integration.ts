import { pathToFileURL } from 'node:url';

import type { Knex } from 'knex';
import type { Middleware } from 'koa';

import type { Authenticator } from '../auth/sign-in/authenticator.ts';
import type { Config, Secrets } from '../config/config.ts';
import { ConfigError } from '../config/config.ts';
import type { CustomerAccounts } from '../consent/customer-accounts.ts';
import type { Logger } from '../observability/logger.ts';
import type { DirectoryOnboarding } from '../portal/openbanking/directory-onboarding.ts';
import type { Clock } from '../shared/clock.ts';

/**
 * What connects Portcullis to a bank: who its customers are and how they sign in, and which
 * accounts they hold. A bank writes a module whose default export builds it (`BANK_INTEGRATION`);
 * outside production the sandbox bank is the default (`sandbox/sandbox-bank.ts`). Nothing in `src/`
 * imports a bank's module: it is named by configuration and loaded at start.
 */
export interface BankIntegration {
  /** The customers' sign-in: password (or the bank's own first factor), then a second factor. */
  authenticator: Authenticator;
  /** The customers' payment accounts, for the consent page, funds checks and Connected apps. */
  accounts: CustomerAccounts;
  /** Directory JWKS (files or https URLs) trusted for software statements when `DIRECTORY_JWKS` names none: a sandbox's test directory. */
  directoryJwks?: string[];
  /**
   * CA certificates (PEM) whose client certificates the partner listener and `tls_client_auth`
   * trust beside the development CA when `CLIENT_CA_FILE` names none: a sandbox directory's
   * transport CA. A configured `CLIENT_CA_FILE` replaces them all, as it replaces the development CA.
   */
  clientCaCertificates?: string[];
  /**
   * An HTTP API of the integration's own (a sandbox directory's self-service onboarding), on the
   * browser listener for the paths under `prefix` (which ends with `/`). It answers in RFC 9457
   * problem details, and so does the listener for what it refuses there before any route runs.
   */
  sandboxRoutes?: { prefix: string; routes: Middleware };
  /** Where a partner organisation signs up at the integration's directory (a sandbox's onboarding API): the portal's Open Banking guide starts there. */
  onboardingUrl?: string;
  /**
   * The integration's sandbox directory, for the developer portal to onboard partners with from its
   * pages (organisation, software statement, bundle, and registration by DCR with the software's
   * keys). Only a sandbox can offer it: a real directory never holds a partner's private keys.
   */
  directoryOnboarding?: DirectoryOnboarding;
  /** Lines for the start-up summary (a sandbox's test logins). */
  summary?: string[];
  /**
   * The bank's own Open Banking resource APIs for the gateway's catalogue (a declarative gateway
   * document, `docs/examples/gateway.yaml`'s shape): applied at each start by an instance with the
   * gateway role, adding and updating those APIs and leaving every other one alone. A bank whose
   * core sits at a fixed address may leave it out and manage the APIs like any other.
   */
  gatewayApis?: unknown;
  /** Stops what the integration started (a sandbox's bank core), once nothing calls it any more. */
  close?(): Promise<void>;
}

/** What a bank's module is handed to build its integration. */
export interface BankIntegrationContext {
  config: Config;
  secrets: Secrets;
  db: Knex;
  logger: Logger;
  /** The clock the rest of Portcullis decides by. */
  clock: Clock;
}

/** The default export of a `BANK_INTEGRATION` module. */
export type CreateBankIntegration = (context: BankIntegrationContext) => Promise<BankIntegration>;

/** Loads the module `config.bankIntegration` names and builds the integration; a module that is not one fails as configuration. */
export async function loadBankIntegration(context: BankIntegrationContext): Promise<BankIntegration> {
  const path = context.config.bankIntegration;
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    throw new ConfigError(`BANK_INTEGRATION: cannot load ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof module.default !== 'function') throw new ConfigError(`BANK_INTEGRATION: ${path} must export a default function that builds the bank integration`);
  return (module.default as CreateBankIntegration)(context);
}
