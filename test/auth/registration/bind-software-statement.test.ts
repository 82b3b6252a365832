import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { bindSoftwareStatement } from '../../../src/auth/registration/bind-software-statement.ts';
import type { SoftwareStatement } from '../../../src/auth/registration/software-statement.schema.ts';
import { assertOAuthErrorSync } from './registration-fixtures.ts';

const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1', use: 'sig', alg: 'ES256' }] };

const ssa: SoftwareStatement = {
  iss: 'Portcullis Sandbox Directory',
  iat: 1_750_000_000,
  jti: 'ssa-1',
  software_id: 'software-1',
  software_client_name: 'Budget Buddy',
  software_client_uri: 'https://tpp.example',
  software_logo_uri: 'https://tpp.example/logo.png',
  software_version: '2.1',
  software_redirect_uris: ['https://tpp.example/callback', 'https://tpp.example/callback-2'],
  software_roles: ['AISP', 'CBPII'],
  software_jwks: jwks,
  org_id: 'org-1',
  org_name: 'Budget Buddy Ltd',
  org_status: 'Active',
};

const requestClaims = { iss: 'software-1', aud: 'https://as.portcullis.test', iat: 1, exp: 2, jti: 'req-1', software_statement: 'ssa.jwt.here' };

describe('bindSoftwareStatement', () => {
  it('applies the statement: defaults, display metadata, software and organisation claims', () => {
    const metadata = bindSoftwareStatement(
      { ...requestClaims, token_endpoint_auth_method: 'private_key_jwt', client_name: 'Totally Your Bank', tos_uri: 'https://evil.example/tos', software_id: 'spoofed' },
      ssa,
    );
    assert.deepEqual(metadata, {
      software_statement: 'ssa.jwt.here',
      token_endpoint_auth_method: 'private_key_jwt',
      redirect_uris: ssa.software_redirect_uris,
      jwks,
      scope: 'openid accounts fundsconfirmations',
      client_name: 'Budget Buddy',
      client_uri: 'https://tpp.example',
      logo_uri: 'https://tpp.example/logo.png',
      software_id: 'software-1',
      software_version: '2.1',
      software_roles: ['AISP', 'CBPII'],
      org_id: 'org-1',
      org_name: 'Budget Buddy Ltd',
    });
  });

  it('keeps a subset of the redirect URIs and a narrower scope, adding openid', () => {
    const metadata = bindSoftwareStatement({ redirect_uris: ['https://tpp.example/callback-2'], scope: 'accounts' }, ssa);
    assert.deepEqual(metadata.redirect_uris, ['https://tpp.example/callback-2']);
    assert.equal(metadata.scope, 'openid accounts');
  });

  it('uses jwks_uri when the statement names software_jwks_endpoint, and accepts the same value requested', () => {
    const { software_jwks: _jwks, ...rest } = ssa;
    const metadata = bindSoftwareStatement({ jwks_uri: 'https://tpp.example/jwks' }, { ...rest, software_jwks_endpoint: 'https://tpp.example/jwks' });
    assert.equal(metadata.jwks_uri, 'https://tpp.example/jwks');
    assert.equal('jwks' in metadata, false);
  });

  it('accepts the statement jwks sent back with its members in another order', () => {
    const metadata = bindSoftwareStatement({ jwks: { keys: [{ alg: 'ES256', use: 'sig', kid: 'k1', y: 'y', x: 'x', crv: 'P-256', kty: 'EC' }] } }, ssa);
    assert.deepEqual(metadata.jwks, jwks);
  });

  it('rejects a redirect URI the statement does not list', () => {
    assertOAuthErrorSync(
      () => bindSoftwareStatement({ redirect_uris: ['https://tpp.example/callback', 'https://tpp.example/callback/'] }, ssa),
      'invalid_redirect_uri',
      "redirect_uris must be listed in the software statement's software_redirect_uris: https://tpp.example/callback/ is not",
    );
  });

  it('rejects redirect_uris that are empty or not strings', () => {
    for (const redirectUris of [[], 'https://tpp.example/callback', [42]]) {
      assertOAuthErrorSync(() => bindSoftwareStatement({ redirect_uris: redirectUris }, ssa), 'invalid_redirect_uri', 'redirect_uris must be a non-empty array of strings');
    }
  });

  it('rejects keys other than the statement ones', () => {
    assertOAuthErrorSync(() => bindSoftwareStatement({ jwks_uri: 'https://evil.example/jwks' }, ssa), 'invalid_client_metadata', "jwks_uri must be the software statement's software_jwks_endpoint");
    assertOAuthErrorSync(
      () => bindSoftwareStatement({ jwks: { keys: [{ ...jwks.keys[0], x: 'other' }] } }, ssa),
      'invalid_client_metadata',
      "jwks must be the software statement's software_jwks",
    );
  });

  it('rejects a scope beyond the roles', () => {
    assertOAuthErrorSync(() => bindSoftwareStatement({ scope: 'openid accounts payments' }, ssa), 'invalid_client_metadata', 'scope payments is not open to software_roles AISP CBPII');
    assertOAuthErrorSync(() => bindSoftwareStatement({ scope: ['openid'] }, ssa), 'invalid_client_metadata', 'scope must be a space-delimited string');
  });

  it('does not change its input', () => {
    const requested = { ...requestClaims, scope: 'accounts' };
    bindSoftwareStatement(requested, ssa);
    assert.deepEqual(requested, { ...requestClaims, scope: 'accounts' });
  });
});
