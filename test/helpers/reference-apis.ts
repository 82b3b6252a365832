import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { after, before } from 'node:test';

import { changeApiLifecycle } from '../../src/gateway/catalogue/api-lifecycle.service.ts';
import { createApi } from '../../src/gateway/catalogue/catalogue.service.ts';
import { createApplication, createOrganisation, issueApiKey } from '../../src/gateway/consumers/consumers.service.ts';
import { OB_ACCOUNT_RESOURCES } from '../../src/gateway/openbanking/ob-account-permissions.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { addTestPlan, ownObBasePath, subscribeTestApplication } from './gateway-catalogue.ts';
import { startTestPortcullis, type TestPortcullis } from './portcullis.ts';
import { type SeenRequest, startUpstreamServer, type UpstreamServer } from './upstream-server.ts';

/**
 * A small OpenAPI document with every kind of thing the API reference shows: path, query and
 * header parameters, a JSON body, answers with a schema that refers to itself, markdown with raw
 * HTML and a script link in it. Its routes: `GET /rates/{currency}`, `POST /alerts`.
 */
export const ratesOpenApi = (title: string) => ({
  openapi: '3.0.3',
  info: { title, version: 'v1' },
  paths: {
    '/rates/{currency}': {
      get: {
        operationId: 'GetRate', tags: ['Rates'], summary: 'One currency\'s rate',
        description: 'The **mid-market** rate. <script>alert(1)</script> [Not a link](javascript:alert(1))',
        parameters: [
          { name: 'currency', in: 'path', required: true, description: 'ISO 4217 code', schema: { type: 'string', pattern: '^[A-Z]{3}$' }, example: 'EUR' },
          { name: 'units', in: 'query', schema: { type: 'string', enum: ['metric', 'imperial'] } },
          { name: 'x-trace', in: 'header', schema: { type: 'string' } },
        ],
        responses: {
          200: { description: 'The rate', content: { 'application/json': { schema: { $ref: '#/components/schemas/Rate' } } } },
          401: { description: 'No valid key' },
        },
      },
    },
    '/alerts': {
      post: {
        operationId: 'CreateAlert', tags: ['Alerts'], summary: 'Alert me at a rate',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['currency'], properties: { currency: { type: 'string' }, below: { type: 'number' } } } } } },
        responses: { 201: { description: 'Created' } },
      },
    },
  },
  components: { schemas: { Rate: { type: 'object', required: ['currency', 'rate'], properties: { currency: { type: 'string', minLength: 3, maxLength: 3 }, rate: { type: 'number' }, previous: { $ref: '#/components/schemas/Rate' } } } } },
});

/**
 * Publishes the API reference tests' two APIs: the Read/Write API's account information (a `fapi`
 * API with the real OpenAPI document, under a base path of the test file's own) and an `api-key`
 * rates API described by `ratesOpenApi`, forwarding to `upstreamUrl`; and an application
 * subscribed to the rates API, with a key.
 */
async function publishReferenceApis(portcullis: TestPortcullis, upstreamUrl: string): Promise<{ accountsId: string; ratesId: string; key: string }> {
  const context = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'ops' as const };
  const suffix = randomUUID().slice(0, 8);
  const accounts = await createApi(context, {
    name: `accounts-${suffix}`, version: 'v3.1.11', basePath: ownObBasePath('aisp'), authKind: 'fapi', upstreams: [{ url: 'http://127.0.0.1:9/bank', weight: 100 }],
    openapi: JSON.parse(readFileSync(new URL('../../src/openbanking/openapi/account-info-openapi.json', import.meta.url), 'utf8')),
    routes: [...OB_ACCOUNT_RESOURCES.keys()].map((pathTemplate) => ({ method: 'GET', pathTemplate, policy: { scopes: ['accounts'] } })),
  });
  await changeApiLifecycle(context, accounts.id, { to: 'published' });
  const rates = await createApi(context, {
    name: `rates-${suffix}`, version: 'v1', basePath: `/rates-${suffix}/v1`, authKind: 'api-key', upstreams: [{ url: upstreamUrl, weight: 100 }], openapi: ratesOpenApi(`Rates ${suffix}`),
    routes: [{ method: 'GET', pathTemplate: '/rates/{currency}' }, { method: 'POST', pathTemplate: '/alerts' }],
  });
  await changeApiLifecycle(context, rates.id, { to: 'published' });
  const application = await createApplication(context, { organisationId: (await createOrganisation(context, { name: `Rates users ${suffix}` })).id, name: 'Widget' });
  await subscribeTestApplication(portcullis.db, portcullis.events, application.id, await addTestPlan(portcullis.db, portcullis.events, { apiIds: [rates.id], ratePerMinute: 600 }));
  return { accountsId: accounts.id, ratesId: rates.id, key: (await issueApiKey(context, application.id)).key };
}

/** What a reference test file works with, set once its `before` hook has run. */
export interface ReferenceApis {
  portcullis: TestPortcullis;
  upstream: UpstreamServer;
  accountsId: string;
  ratesId: string;
  key: string;
}

/**
 * Registers the file's hooks: before its tests, an upstream (answering with `handle`, else naming
 * what it was asked), the app, and the APIs `publishReferenceApis` makes; after them, both closed.
 */
export function useReferenceApis(handle?: (request: SeenRequest, res: ServerResponse) => void): ReferenceApis {
  const apis = {} as ReferenceApis;
  before(async () => {
    apis.upstream = await startUpstreamServer(handle);
    apis.portcullis = await startTestPortcullis();
    Object.assign(apis, await publishReferenceApis(apis.portcullis, apis.upstream.url));
  });
  after(async () => {
    await apis.portcullis?.close();
    await apis.upstream?.close();
  });
  return apis;
}
