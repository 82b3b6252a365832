import type { AdapterPayload } from 'oidc-provider';

/*
 * Which table holds which oidc-provider model (v9: `lib/models/*.js`). Models with the same
 * lifecycle share a table; `Client` and `ReplayDetection` have adapters of their own. A model
 * missing here has nowhere to live, so asking for it throws at adapter construction instead of
 * failing at the first query.
 */

/** How one oidc-provider model is stored in a table with an id, a JSON payload and an expiry. */
export interface PayloadTable {
  readonly name: 'oidc_tokens' | 'oidc_grants' | 'oidc_sessions' | 'oidc_interactions' | 'oidc_pushed_requests';
  /** The `kind` column value, for models sharing `oidc_tokens`; part of the row's key there. */
  readonly kind?: string;
  /** Whether rows record single use in `consumed_at`. */
  readonly consumable: boolean;
  /**
   * Payload fields copied into columns, so SQL can find and revoke rows without reading JSON. Always
   * the same keys, null when the payload lacks the field: the upsert statement is written from them.
   */
  readonly columns: (payload: AdapterPayload) => Record<string, string | null>;
}

const TOKEN_KINDS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'BackchannelAuthenticationRequest',
  'ClientCredentials',
  'DeviceCode',
  'InitialAccessToken',
  'PreAuthorizedCode',
  'RefreshToken',
  'RegistrationAccessToken',
]);

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function tokenColumns(payload: AdapterPayload): Record<string, string | null> {
  return {
    grant_id: text(payload.grantId),
    client_id: text(payload.clientId),
    account_id: text(payload.accountId),
    user_code: text(payload.userCode),
  };
}

const SINGLE_MODEL_TABLES: Record<string, PayloadTable> = {
  Grant: {
    name: 'oidc_grants',
    consumable: false,
    columns: (payload) => ({ account_id: text(payload.accountId), client_id: text(payload.clientId) }),
  },
  Session: {
    name: 'oidc_sessions',
    consumable: false,
    columns: (payload) => ({ uid: text(payload.uid), account_id: text(payload.accountId) }),
  },
  Interaction: { name: 'oidc_interactions', consumable: false, columns: () => ({}) },
  PushedAuthorizationRequest: { name: 'oidc_pushed_requests', consumable: true, columns: () => ({}) },
};

/** The table that stores `model`; throws a `TypeError` for a model this store has no table for. */
export function payloadTableFor(model: string): PayloadTable {
  if (TOKEN_KINDS.has(model)) {
    return { name: 'oidc_tokens', kind: model, consumable: true, columns: tokenColumns };
  }
  const table = Object.hasOwn(SINGLE_MODEL_TABLES, model) ? SINGLE_MODEL_TABLES[model] : undefined;
  if (!table) throw new TypeError(`no table stores the oidc-provider model "${model}"`);
  return table;
}
