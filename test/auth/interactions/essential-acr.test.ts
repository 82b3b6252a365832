import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { meetsEssentialAcr } from '../../../src/auth/interactions/essential-acr.ts';
import type { InteractionDetails } from '../../../src/auth/interactions/load-interaction.ts';

const SCA = 'urn:openbanking:psd2:sca';
const CA = 'urn:openbanking:psd2:ca';

/** An interaction whose prompt is as oidc-provider's policy would describe it. */
function prompted(name: string, reasons: string[], acr?: Record<string, unknown>): InteractionDetails {
  return { prompt: { name, reasons, details: acr ? { acr } : {} } } as unknown as InteractionDetails;
}

describe('meetsEssentialAcr', () => {
  it('is met when nothing is demanded: a sign-in without acr, or acr asked for as voluntary only', () => {
    assert.equal(meetsEssentialAcr(prompted('login', ['no_session']), CA), true);
    assert.equal(meetsEssentialAcr(prompted('consent', ['op_scopes_missing']), CA), true);
  });

  it('an essential value (essential_acr) is met by that value alone', () => {
    const interaction = prompted('login', ['no_session', 'essential_acr'], { essential: true, value: SCA });
    assert.equal(meetsEssentialAcr(interaction, SCA), true);
    assert.equal(meetsEssentialAcr(interaction, CA), false, 'what a password alone proves falls short, after the sign-in as before it');
    assert.equal(meetsEssentialAcr(prompted('login', ['essential_acr'], { essential: true, value: 'urn:example:unknown' }), SCA), false);
  });

  it('essential values (essential_acrs) are met by any one of them', () => {
    const interaction = prompted('login', ['no_session', 'essential_acrs'], { essential: true, values: [CA, SCA] });
    assert.equal(meetsEssentialAcr(interaction, SCA), true);
    assert.equal(meetsEssentialAcr(interaction, CA), true);
    assert.equal(meetsEssentialAcr(interaction, 'urn:example:other'), false);
  });

  it('a value and values together (claims and acr_values) must both be met, as oidc-provider checks both', () => {
    const interaction = prompted('login', ['essential_acrs', 'essential_acr'], { essential: true, value: SCA, values: [CA] });
    assert.equal(meetsEssentialAcr(interaction, SCA), false);
    assert.equal(meetsEssentialAcr(interaction, CA), false);
    assert.equal(meetsEssentialAcr(prompted('login', ['essential_acrs', 'essential_acr'], { essential: true, value: SCA, values: [CA, SCA] }), SCA), true);
  });
});
