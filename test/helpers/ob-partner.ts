import { randomUUID } from 'node:crypto';

import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import * as oc from 'openid-client';

import { signResponseBody } from '../../src/openbanking/jws-signature/sign-response-body.ts';
import { verifyRequestSignature } from '../../src/openbanking/jws-signature/verify-request-signature.ts';
import { CustomerBrowser } from './customer-browser.ts';
import { discover, REDIRECT_URI, registerKeyClient, type PartnerKeys } from './partner-client.ts';
import type { PartnerTarget } from './portcullis.ts';
import { tlsFetch, type TlsIdentity } from './tls-fetch.ts';

export const TEST_ORG_ID = 'org-test-tpp';

/** The sandbox customer who authorises partners' consents unless a test names another. */
export const ALICE = { username: 'alice', password: 'alice-sandbox-pass' };

export interface ObCall {
  body?: unknown;
  /** Sent as is instead of `JSON.stringify(body)`. */
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string;
  /** Sign the body with the partner's key as `x-jws-signature`. */
  sign?: boolean;
  /** Present this client certificate instead of the partner's own, or none (`null`). */
  certificate?: TlsIdentity | null;
}

export interface ObAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/**
 * A partner with a software statement's roles and identity (AISP, PISP and CBPII unless stated),
 * certificate-bound client-credentials tokens over mutual TLS with the sample client certificate,
 * and a way to call the Open Banking APIs the way a TPP does.
 */
export async function obPartner(portcullis: PartnerTarget, options: { roles?: string[]; scope?: string } = {}) {
  const softwareId = `sw-${randomUUID()}`;
  const { clientId, keys } = await registerKeyClient(portcullis, {
    scope: options.scope ?? 'openid accounts payments fundsconfirmations',
    software_roles: options.roles ?? ['AISP', 'PISP', 'CBPII'],
    org_id: TEST_ORG_ID,
    software_id: softwareId,
    tls_client_certificate_bound_access_tokens: true,
    use_mtls_endpoint_aliases: true,
  }, 'PS256');
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }), { use_mtls_endpoint_aliases: true }, portcullis.sampleClient);
  const fetchMtls = tlsFetch(portcullis.caPem, portcullis.sampleClient);

  return {
    clientId,
    keys: keys as PartnerKeys,
    softwareId,
    config,
    /** A fresh client-credentials access token. */
    async token(scope: string): Promise<string> {
      return (await oc.clientCredentialsGrant(config, { scope })).access_token;
    },
    /**
     * The customer's authorisation of `consentId` (Alice's, approving what the page offers unless
     * `choices` says otherwise) through the real login and consent pages: a signed request object
     * naming the consent, pushed (PAR), with PKCE; the code exchanged for the tokens. With
     * `elsewhere`, the customer's browser and the code exchange reach another instance behind the
     * same issuer (its fetch and the partner's configuration for it) than the push did.
     */
    async authorise(consentId: string, scope: string, options: {
      customer?: { username: string; password: string };
      choices?: Record<string, string>;
      elsewhere?: { customerFetch: typeof fetch; config: oc.Configuration };
    } = {}) {
      const verifier = oc.randomPKCECodeVerifier();
      const signed = await oc.buildAuthorizationUrlWithJAR(config, {
        redirect_uri: REDIRECT_URI, code_challenge: await oc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', scope: `openid ${scope}`,
        claims: JSON.stringify({ id_token: { openbanking_intent_id: { value: consentId, essential: true } } }),
      }, { key: keys.privateKey, kid: keys.kid });
      const url = await oc.buildAuthorizationUrlWithPAR(config, signed.searchParams);
      const customerFetch = options.elsewhere?.customerFetch ?? tlsFetch(portcullis.caPem);
      const callback = await new CustomerBrowser(customerFetch, [portcullis.urls.browser]).authorize(url, { ...(options.customer ?? ALICE), ...(options.choices ? { choices: options.choices } : {}) });
      return oc.authorizationCodeGrant(options.elsewhere?.config ?? config, callback, { pkceCodeVerifier: verifier, idTokenExpected: true });
    },
    /** Signs `body` as this partner would for `x-jws-signature`. */
    sign(body: string): Promise<string> {
      return signResponseBody(body, { key: keys.privateKey, kid: keys.kid, issuer: `${TEST_ORG_ID}/${softwareId}`, trustAnchor: portcullis.config.openBanking.trustAnchor });
    },
    async call(method: string, path: string, call: ObCall = {}): Promise<ObAnswer> {
      const headers: Record<string, string> = { accept: 'application/json', ...(call.token ? { authorization: `Bearer ${call.token}` } : {}) };
      const text = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
      if (text !== undefined) {
        headers['content-type'] = 'application/json';
        if (method === 'POST') headers['x-idempotency-key'] = randomUUID();
        if (call.sign) headers['x-jws-signature'] = await this.sign(text);
      }
      Object.assign(headers, call.headers);
      for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name];
      const send = call.certificate === undefined ? fetchMtls : tlsFetch(portcullis.caPem, call.certificate ?? undefined);
      const response = await send(`${portcullis.urls.partner}${path}`, { method, headers, body: text });
      const responseText = await response.text();
      return { status: response.status, headers: response.headers, text: responseText, json: responseText ? JSON.parse(responseText) : undefined };
    },
  };
}

export type ObPartner = Awaited<ReturnType<typeof obPartner>>;

/** Verifies the bank's `x-jws-signature` on a response, against the JWKS the bank publishes. */
export async function verifyBankSignature(portcullis: PartnerTarget, answer: ObAnswer): Promise<void> {
  const fetchTls = tlsFetch(portcullis.caPem);
  const jwks = await (await fetchTls(`${portcullis.urls.browser}/jwks`)).json() as JSONWebKeySet;
  await verifyRequestSignature({
    header: answer.headers.get('x-jws-signature') ?? undefined,
    rawBody: answer.text,
    getKey: createLocalJWKSet(jwks),
    expectedIssuer: portcullis.config.openBanking.organisationId,
    trustAnchor: portcullis.config.openBanking.trustAnchor,
  });
}
