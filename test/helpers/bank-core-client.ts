import { generateKeyPairSync, randomUUID } from 'node:crypto';

import type { JWK } from 'jose';

import { startBankCore, type BankCore } from '../../sandbox/bank-core/start-bank-core.ts';
import { CALLER_IDENTITY_HEADER, signCallerIdentity, type CallerIdentity } from '../../src/gateway/upstream/caller-identity.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { openSandboxLedger, type SandboxLedger } from './sandbox-ledger.ts';

/*
 * The bank core over a fixture ledger, called as the gateway calls it: with a caller identity
 * signed by a key of the gateway's (here, the test's own), for the bank core's URL.
 */

export const GATEWAY_ISSUER = 'https://gateway.test';
const gatewayKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const GATEWAY_JWKS = { keys: [{ ...(gatewayKey.publicKey.export({ format: 'jwk' }) as JWK), kid: 'gateway-1', alg: 'ES256' }] };

export interface CoreAnswer {
  status: number;
  headers: Headers;
  json: any;
}

export interface CoreCall {
  /** The identity to sign (none: no header at all); `raw` sends this header value instead. */
  identity?: Partial<CallerIdentity> | null;
  raw?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Signing options over the defaults (another audience, issuer, key or lifetime). */
  signing?: Partial<Parameters<typeof signCallerIdentity>[1]>;
}

export interface TestBankCore extends BankCore {
  ledger: SandboxLedger;
  call(method: string, path: string, call?: CoreCall): Promise<CoreAnswer>;
  /** Signs `identity` as the gateway would for this bank core. */
  sign(identity: CallerIdentity, signing?: CoreCall['signing']): string;
}

/** Starts a bank core on a fresh fixture ledger; `clock` decides expiry and settlement. */
export async function startTestBankCore(clock: Clock, options: { slowAnswerMs?: number; logger?: Logger } = {}): Promise<TestBankCore> {
  const ledger = await openSandboxLedger();
  const core = await startBankCore({
    db: ledger.db, identityKeys: GATEWAY_JWKS, issuer: GATEWAY_ISSUER, clock, logger: createLogger('silent', false), ...options,
  });
  const sign = (identity: CallerIdentity, signing: CoreCall['signing'] = {}) =>
    signCallerIdentity(identity, { key: gatewayKey.privateKey, kid: 'gateway-1', alg: 'ES256', issuer: GATEWAY_ISSUER, audience: core.url, ttlSeconds: 60, clock, ...signing });
  return {
    ...core,
    ledger,
    sign,
    async call(method, path, call = {}) {
      const headers: Record<string, string> = { accept: 'application/json', 'x-fapi-interaction-id': randomUUID(), ...call.headers };
      if (call.raw !== undefined) headers[CALLER_IDENTITY_HEADER] = call.raw;
      else if (call.identity !== null) headers[CALLER_IDENTITY_HEADER] = sign({ apiId: 'api-ob', routeId: 'route-ob', ...call.identity }, call.signing);
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${core.url}${path}`, { method, headers, ...(call.body !== undefined && { body: JSON.stringify(call.body) }) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await core.close();
      await ledger.close();
    },
  };
}
