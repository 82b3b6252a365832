import { readFileSync } from 'node:fs';

import { OB_FUNDS_CONFIRMATION } from '../src/gateway/openbanking/authorise-funds-confirmation.ts';
import { OB_ACCOUNT_RESOURCES } from '../src/gateway/openbanking/ob-account-permissions.ts';
import { OB_PAYMENT_READS, OB_PAYMENT_SUBMISSIONS } from '../src/gateway/openbanking/ob-payment-resources.ts';

/*
 * The sandbox bank's Open Banking resource APIs, as the gateway's catalogue holds them (a
 * declarative gateway document, `BankIntegration.gatewayApis`): the Read/Write API v3.1.11's
 * account information, payment initiation and funds confirmation, all served by the sandbox's bank
 * core. Each carries its OpenAPI document, for the portal's reference pages, and submissions are
 * checked against it before they reach the bank.
 */

const VERSION = 'v3.1.11';

function specDocument(name: 'account-info' | 'payment-initiation' | 'confirmation-funds'): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../src/openbanking/openapi/${name}-openapi.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** The three APIs, each forwarding to `bankCoreUrl` (the path after the base path is the bank core's). */
export function sandboxOpenBankingApis(bankCoreUrl: string) {
  const upstreams = [{ url: bankCoreUrl, weight: 100 }];
  return {
    apis: [
      {
        name: 'ob-account-info', version: VERSION, basePath: '/open-banking/v3.1/aisp', authKind: 'fapi', lifecycle: 'published', upstreams,
        openapi: specDocument('account-info'),
        routes: [...OB_ACCOUNT_RESOURCES.keys()].map((pathTemplate) => ({ method: 'GET', pathTemplate, policy: { scopes: ['accounts'] } })),
      },
      {
        name: 'ob-payment-initiation', version: VERSION, basePath: '/open-banking/v3.1/pisp', authKind: 'fapi', lifecycle: 'published', upstreams,
        openapi: specDocument('payment-initiation'),
        routes: [
          ...[...OB_PAYMENT_SUBMISSIONS.keys()].map((pathTemplate) => ({ method: 'POST', pathTemplate, policy: { scopes: ['payments'], validateRequest: true } })),
          ...[...OB_PAYMENT_READS.keys()].map((pathTemplate) => ({ method: 'GET', pathTemplate, policy: { scopes: ['payments'] } })),
        ],
      },
      {
        name: 'ob-funds-confirmation', version: VERSION, basePath: '/open-banking/v3.1/cbpii', authKind: 'fapi', lifecycle: 'published', upstreams,
        openapi: specDocument('confirmation-funds'),
        routes: [{ method: 'POST', pathTemplate: OB_FUNDS_CONFIRMATION, policy: { scopes: ['fundsconfirmations'], validateRequest: true } }],
      },
    ],
  };
}
