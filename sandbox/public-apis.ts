import { FX_PREFIX } from './bank-core/fx/fx.routes.ts';
import { fxRatesOpenApi } from './fx-rates-openapi.ts';

/*
 * The sandbox bank's public APIs, sold by API key on the gateway's public listener, as the
 * gateway's catalogue holds them (a declarative gateway document, merged into
 * `BankIntegration.gatewayApis` with the Open Banking ones), with the plans that sell them: what a
 * developer new to the portal signs up, subscribes an application to and calls, with no bank to
 * ask. The exchange rates API is served by the sandbox's bank core under `/fx`.
 */

const FX_RATES = { name: 'fx-rates', version: 'v1' };
const FX_RATES_BASE_PATH = '/fx/v1';

/** The exchange rates API, forwarding to `bankCoreUrl`'s `/fx`, and its `starter` (free, self-service) and `business` plans. */
export function sandboxPublicApis(bankCoreUrl: string, problemTypeBase: string) {
  return {
    apis: [
      {
        ...FX_RATES, basePath: FX_RATES_BASE_PATH, authKind: 'api-key', lifecycle: 'published',
        upstreams: [{ url: `${bankCoreUrl}${FX_PREFIX}`, weight: 100 }],
        openapi: fxRatesOpenApi(FX_RATES_BASE_PATH, problemTypeBase),
        routes: [{ method: 'GET', pathTemplate: '/rates' }, { method: 'GET', pathTemplate: '/rates/{currency}' }],
      },
    ],
    plans: [
      { name: 'starter', selfService: true, ratePerMinute: 60, quotaPerDay: 1000, apis: [FX_RATES] },
      { name: 'business', selfService: false, ratePerSecond: 20, quotaPerMonth: 1_000_000, priceMinorUnits: 4900, currency: 'GBP', apis: [FX_RATES] },
    ],
  };
}
