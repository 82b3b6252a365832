import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { ADMIN_OPENAPI } from '../../src/admin/admin-api.openapi.ts';
import { ADMIN_ROUTES } from '../../src/admin/admin-api.routes.ts';

/*
 * No OpenAPI 3.1 validator is installed, so the document's structure is checked here: the parts
 * of the 3.1 specification a client relies on, and every schema compiled as JSON Schema 2020-12
 * (3.1's dialect). The live document is compared with the router in admin-api.int.test.ts.
 */

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const document = JSON.parse(JSON.stringify(ADMIN_OPENAPI)) as Record<string, any>;
const operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));

function resolve(pointer: string): unknown {
  assert.ok(pointer.startsWith('#/'), `only local references: ${pointer}`);
  return pointer.slice(2).split('/').reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

test('the document has the fields OpenAPI 3.1 requires, and nothing it forbids', () => {
  assert.match(document['openapi'], /^3\.1\.\d+$/);
  assert.equal(typeof document['info']?.title, 'string');
  assert.equal(typeof document['info']?.version, 'string');
  assert.deepEqual(Object.keys(document).filter((key) => !['openapi', 'info', 'servers', 'security', 'paths', 'components', 'tags', 'webhooks', 'jsonSchemaDialect', 'externalDocs'].includes(key)), []);
  for (const { path, method, operation } of operations) {
    const where = `${method} ${path}`;
    assert.ok(path.startsWith('/'), where);
    assert.ok(HTTP_METHODS.includes(method), where);
    assert.ok(Object.keys(operation.responses ?? {}).length > 0, `${where}: responses`);
    for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
      assert.match(status, /^[1-5]\d\d$/, where);
      assert.equal(typeof (response.$ref ? resolve(response.$ref) as { description?: unknown } : response).description, 'string', `${where} ${status}: description`);
    }
    const declared = (operation.parameters ?? []).filter((parameter: { in: string }) => parameter.in === 'path').map((parameter: { name: string; required: boolean }) => {
      assert.equal(parameter.required, true, `${where}: path parameters are required`);
      return parameter.name;
    });
    assert.deepEqual(declared.sort(), [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort(), `${where}: path parameters`);
    for (const requirement of operation.security ?? document['security']) {
      for (const scheme of Object.keys(requirement)) assert.ok(document['components'].securitySchemes[scheme], `${where}: ${scheme}`);
    }
  }
  const ids = operations.map(({ operation }) => operation.operationId);
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
});

test('every reference resolves and every schema compiles as JSON Schema 2020-12', () => {
  for (const pointer of refsIn(document)) assert.ok(resolve(pointer) !== undefined, pointer);
  // Each schema on its own (strict mode refuses unknown keywords, so a misspelt one fails here),
  // its references to the others rewritten to their ids.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  const schemas = document['components'].schemas as Record<string, unknown>;
  for (const [name, schema] of Object.entries(schemas)) {
    ajv.addSchema({ ...JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\/(\w+)"/g, '"$1.json"')), $id: `${name}.json` });
  }
  for (const name of Object.keys(schemas)) assert.ok(ajv.getSchema(`${name}.json`), name);
});

test('the document describes exactly the routes the router serves', () => {
  const routed = ADMIN_ROUTES.map((route) => `${route.method} ${route.path}`).sort();
  const described = operations.map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
  assert.deepEqual(described, routed);
  for (const route of ADMIN_ROUTES) {
    const security = document['paths'][route.path][route.method.toLowerCase()].security ?? document['security'];
    assert.equal(security.length === 0, route.public === true, `${route.method} ${route.path}: described as public exactly when it is`);
  }
});
