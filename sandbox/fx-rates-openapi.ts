import { DEFAULT_API_KEY_HEADER } from '../src/gateway/pipeline/authenticate-caller.ts';
import { PROBLEM_TYPES, type ProblemSlug } from '../src/shared/problem.ts';
import { DEFAULT_BASE, FX_CURRENCIES, midRate, midRates } from './bank-core/fx/fx-rates.ts';

/*
 * The OpenAPI 3.1 document of the sandbox bank's exchange rates API, as the developer portal shows
 * it and its Postman collection is made from it. Built here rather than kept as JSON so that its
 * currencies and examples are the bank core's own table: the examples are what the sandbox answers
 * on EXAMPLE_DAY. Paths are relative to the gateway's base path (`servers`).
 */

const EXAMPLE_DAY = '2026-09-01';

const problem = (status: number, slug: ProblemSlug, detail: string, problemTypeBase: string) => ({
  type: `${problemTypeBase}${slug}`, title: PROBLEM_TYPES[slug], status, detail, instance: 'urn:uuid:0b6f9a51-3c1d-4c55-9d0e-6a7f2b8c4e13',
});

function problemResponse(description: string, example: ReturnType<typeof problem>, headers: Record<string, unknown> = {}) {
  return { description, headers, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example } } };
}

const RATE_LIMIT_HEADERS = {
  RateLimit: { $ref: '#/components/headers/RateLimit' },
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' },
};

/** The document for the API at `basePath` on the gateway, its problem examples' `type`s under `problemTypeBase` (the portal's error reference). */
export function fxRatesOpenApi(basePath: string, problemTypeBase: string): Record<string, unknown> {
  const example = (status: number, slug: ProblemSlug, detail: string) => problem(status, slug, detail, problemTypeBase);
  const refusals = {
    '401': problemResponse('No API key, or one that is unknown, revoked or expired.', example(401, 'unauthenticated', `An API key is required in the ${DEFAULT_API_KEY_HEADER} header`), { 'WWW-Authenticate': { schema: { type: 'string', const: 'ApiKey' } } }),
    '403': problemResponse('The application is suspended, or holds no active subscription to a plan that covers this API.', example(403, 'forbidden', 'This application has no active subscription to a plan that includes fx-rates v1')),
    '429': problemResponse('The plan\'s rate limit or quota is used up; try again after `Retry-After` seconds.', example(429, 'quota-exceeded', 'The starter plan\'s quota is used up until it renews'), {
      'Retry-After': { description: 'Seconds until a call is allowed again.', schema: { type: 'integer', minimum: 1 } }, ...RATE_LIMIT_HEADERS,
    }),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Exchange rates',
      version: '1.0.0',
      summary: 'Mid-market foreign exchange rates for twelve major currencies, against any of them, by API key.',
      description: [
        'Mid-market foreign exchange rates for twelve major currencies, against any of them, by API key.',
        `Send your application's key in the \`${DEFAULT_API_KEY_HEADER}\` header. Subscribe the application to a plan first: the free **starter** plan is active at once, the others once the bank approves. Once the key is accepted, answers carry the plan's limits and where you stand in \`RateLimit-Policy\` and \`RateLimit\` headers.`,
        'Rates are dated by the UTC day and change from one day to the next. In the sandbox they are synthetic: realistic, the same all day, and not market data.',
        'Errors are RFC 9457 problem details (`application/problem+json`).',
      ].join('\n\n'),
    },
    servers: [{ url: basePath, description: 'On the gateway\'s public API listener' }],
    security: [{ ApiKey: [] }],
    paths: {
      '/rates': {
        get: {
          operationId: 'listRates',
          summary: 'Every rate against a base currency',
          description: 'Today\'s mid rate of every other currency against `base`: how many units of each one unit of the base buys.',
          parameters: [{ $ref: '#/components/parameters/Base' }],
          responses: {
            '200': {
              description: 'The rates.',
              headers: RATE_LIMIT_HEADERS,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Rates' }, example: { base: DEFAULT_BASE, date: EXAMPLE_DAY, rates: midRates(DEFAULT_BASE, EXAMPLE_DAY) } } },
            },
            '400': problemResponse('A query parameter that is unknown, repeated or malformed, or a base that is not offered.', example(400, 'bad-request', 'XYZ is not offered as a base; choose one of GBP, EUR, …')),
            ...refusals,
          },
        },
      },
      '/rates/{currency}': {
        get: {
          operationId: 'getRate',
          summary: 'One currency\'s rate against a base currency',
          description: 'Today\'s mid rate of `currency` against `base`: how many units of it one unit of the base buys.',
          parameters: [{ $ref: '#/components/parameters/Currency' }, { $ref: '#/components/parameters/Base' }],
          responses: {
            '200': {
              description: 'The rate.',
              headers: RATE_LIMIT_HEADERS,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Rate' }, example: { base: DEFAULT_BASE, currency: 'EUR', rate: midRate(DEFAULT_BASE, 'EUR', EXAMPLE_DAY), date: EXAMPLE_DAY } } },
            },
            '400': problemResponse('A malformed currency code, or a bad query (as for every rate).', example(400, 'bad-request', 'currency must be an ISO 4217 currency code: three capital letters such as EUR, not "euro"')),
            '404': problemResponse('A well-formed currency code that is not quoted.', example(404, 'not-found', 'XYZ is not quoted; the currencies are GBP, EUR, …')),
            ...refusals,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        ApiKey: { type: 'apiKey', in: 'header', name: DEFAULT_API_KEY_HEADER, description: 'An API key of your application, from the developer portal: `pck_<prefix>_<secret>`, shown once when issued.' },
      },
      parameters: {
        Base: { name: 'base', in: 'query', required: false, description: `The currency the rates are against; ${DEFAULT_BASE} when absent.`, schema: { $ref: '#/components/schemas/CurrencyCode', default: DEFAULT_BASE }, example: 'EUR' },
        Currency: { name: 'currency', in: 'path', required: true, description: 'The currency quoted.', schema: { $ref: '#/components/schemas/CurrencyCode' }, example: 'EUR' },
      },
      headers: {
        RateLimit: { description: 'Where the call stands against the plan (draft-ietf-httpapi-ratelimit-headers): `r`, calls remaining, and `t`, seconds until the window resets.', schema: { type: 'string' }, example: '"per-minute";r=59;t=42' },
        RateLimitPolicy: { description: 'The plan\'s limits (draft-ietf-httpapi-ratelimit-headers): `q`, calls per window, and `w`, the window in seconds.', schema: { type: 'string' }, example: '"per-minute";q=60;w=60, "per-day";q=1000;w=86400' },
      },
      schemas: {
        CurrencyCode: { type: 'string', description: 'An ISO 4217 currency code.', enum: FX_CURRENCIES, examples: ['EUR'] },
        Rates: {
          type: 'object', required: ['base', 'date', 'rates'], additionalProperties: false,
          properties: {
            base: { $ref: '#/components/schemas/CurrencyCode' },
            date: { type: 'string', format: 'date', description: 'The UTC day the rates are for.' },
            rates: { type: 'object', description: 'Units of each other currency one unit of the base buys, by currency code, to six significant figures.', propertyNames: { $ref: '#/components/schemas/CurrencyCode' }, additionalProperties: { type: 'number', exclusiveMinimum: 0 } },
          },
        },
        Rate: {
          type: 'object', required: ['base', 'currency', 'rate', 'date'], additionalProperties: false,
          properties: {
            base: { $ref: '#/components/schemas/CurrencyCode' },
            currency: { $ref: '#/components/schemas/CurrencyCode' },
            rate: { type: 'number', exclusiveMinimum: 0, description: 'Units of the currency one unit of the base buys, to six significant figures (1 when they are the same).' },
            date: { type: 'string', format: 'date', description: 'The UTC day the rate is for.' },
          },
        },
        Problem: {
          type: 'object', required: ['type', 'title', 'status'], description: 'RFC 9457 problem details.',
          properties: {
            type: { type: 'string', format: 'uri', description: 'The problem type: a page of the developer portal\'s error reference.' },
            title: { type: 'string', description: 'The same for every problem of the type.' },
            status: { type: 'integer', description: 'The HTTP status code.' },
            detail: { type: 'string', description: 'What went wrong with this request.' },
            instance: { type: 'string', description: 'This occurrence (`urn:uuid:…`), to quote to support.' },
          },
        },
      },
    },
  };
}
