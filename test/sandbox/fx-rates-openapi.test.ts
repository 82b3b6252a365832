import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { FX_CURRENCIES } from '../../sandbox/bank-core/fx/fx-rates.ts';
import { sandboxPublicApis } from '../../sandbox/public-apis.ts';
import { gatewayFileSchema } from '../../src/gateway/declarative/gateway-file.schema.ts';
import { DEFAULT_API_KEY_HEADER } from '../../src/gateway/pipeline/authenticate-caller.ts';

/*
 * The exchange rates API's OpenAPI document, as the portal's reference page and Postman
 * collection read it: one operation per route the gateway has, the key in the header the gateway
 * reads, and every example an answer its own schemas accept (JSON Schema 2020-12, 3.1's dialect;
 * strict, so a misspelt keyword fails).
 */

const TYPE_BASE = 'https://portal.test/docs/problems/';
const gatewayDocument = sandboxPublicApis('http://127.0.0.1:4001', TYPE_BASE);
const [api] = gatewayDocument.apis;
const openapi = JSON.parse(JSON.stringify(api!.openapi)) as Record<string, any>;

type Operation = { summary: string; description: string; parameters: Array<{ $ref: string }>; responses: Record<string, { description: string; content?: Record<string, { schema: { $ref: string }; example: unknown }> }> };
const operations = Object.entries(openapi['paths'] as Record<string, Record<string, Operation>>)
  .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));

function schemaValidator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  // Each schema under its name, the others beside it as $defs, where its references now point.
  const schemas = JSON.parse(JSON.stringify(openapi['components'].schemas).replaceAll('"#/components/schemas/', '"#/$defs/')) as Record<string, object>;
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema({ ...schema, $id: name, $defs: schemas });
  return (ref: string) => ajv.getSchema(ref.replace('#/components/schemas/', ''))!;
}

test('the sandbox\'s gateway document is a valid gateway file, its upstream the bank core\'s /fx', () => {
  assert.ok(gatewayFileSchema.safeParse(gatewayDocument).success);
  assert.deepEqual(api!.upstreams, [{ url: 'http://127.0.0.1:4001/fx', weight: 100 }]);
});

test('one described operation per route, each with a summary, and the key where the gateway reads it', () => {
  assert.equal(openapi['openapi'], '3.1.0');
  assert.equal(openapi['info'].title, 'Exchange rates');
  assert.deepEqual(openapi['servers'], [{ url: api!.basePath, description: 'On the gateway\'s public API listener' }]);
  assert.deepEqual(operations.map(({ route }) => route).sort(), api!.routes.map((route) => `${route.method} ${route.pathTemplate}`).sort());
  for (const { route, operation } of operations) {
    assert.ok(operation.summary && operation.description, route);
    assert.deepEqual(Object.keys(operation.responses).sort(), route.endsWith('{currency}') ? ['200', '400', '401', '403', '404', '429'] : ['200', '400', '401', '403', '429']);
  }
  assert.deepEqual(openapi['security'], [{ ApiKey: [] }]);
  assert.deepEqual({ ...openapi['components'].securitySchemes.ApiKey, description: undefined }, { type: 'apiKey', in: 'header', name: DEFAULT_API_KEY_HEADER, description: undefined });
  assert.deepEqual(openapi['components'].schemas.CurrencyCode.enum, FX_CURRENCIES);
});

test('every example is an answer its schema accepts, and every problem example a documented problem type', () => {
  const validator = schemaValidator();
  let examples = 0;
  for (const { route, operation } of operations) {
    for (const [status, response] of Object.entries(operation.responses)) {
      for (const [mediaType, { schema, example }] of Object.entries(response.content ?? {})) {
        const validate = validator(schema.$ref);
        assert.ok(validate(example), `${route} ${status}: ${JSON.stringify(validate.errors)}`);
        assert.equal(mediaType, status === '200' ? 'application/json' : 'application/problem+json', `${route} ${status}`);
        if (status !== '200') assert.ok((example as { type: string }).type.startsWith(TYPE_BASE) && (example as { status: number }).status === Number(status), `${route} ${status}`);
        examples += 1;
      }
    }
  }
  assert.equal(examples, 11);
  assert.equal(validator('#/components/schemas/Rate')({ base: 'GBP', currency: 'XAU', rate: 1, date: '2026-09-01' }), false, 'the schemas do refuse');
});
