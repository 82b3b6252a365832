import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

/*
 * Checks what the server sends against the Open Banking Read/Write API v3.1.11 schemas, read from
 * the tests' own copy of the specs (test/specs/…, see SOURCE.md there) rather than the one the
 * server validates requests with, so that a change to the server's copy cannot make a wrong
 * response pass. Date-times must carry a time zone, as the spec requires of every response.
 */

/** The Read/Write API specs in test/specs/ob-read-write/v3.1.11/. */
export type ObSpecName = 'account-info' | 'payment-initiation' | 'confirmation-funds';

// OpenAPI 3.0 schemas carry keywords JSON Schema does not know (`example`, `x-namespaced-enum`).
const ajv = ajvFormats.default(new Ajv({ allErrors: true, strict: false }));
const loadedSpecs = new Set<ObSpecName>();

/** Ajv keeps what `getSchema` compiles, so each schema is compiled once per test process. */
function validatorFor(spec: ObSpecName, schemaName: string): ValidateFunction {
  if (!loadedSpecs.has(spec)) {
    const file = new URL(`../specs/ob-read-write/v3.1.11/${spec}-openapi.json`, import.meta.url);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { components: object };
    ajv.addSchema({ components: document.components }, spec);
    loadedSpecs.add(spec);
  }
  const validate = ajv.getSchema(`${spec}#/components/schemas/${schemaName}`);
  assert.ok(validate, `the ${spec} spec has no schema ${schemaName}`);
  return validate;
}

/**
 * Fails, listing every Ajv error, unless `value` matches `#/components/schemas/<schemaName>` of
 * the spec.
 *
 * @example
 * assertMatchesObSchema('account-info', 'OBReadConsentResponse1', await response.json());
 */
export function assertMatchesObSchema(spec: ObSpecName, schemaName: string, value: unknown): void {
  const validate = validatorFor(spec, schemaName);
  if (validate(value)) return;
  const problems = (validate.errors ?? []).map((error) => `  ${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  assert.fail(`${schemaName} (${spec}) does not match:\n${problems.join('\n')}\nvalue: ${JSON.stringify(value, null, 2)}`);
}
