import type { Middleware } from 'koa';

import type { Clock } from '../../../src/shared/clock.ts';
import { midRate, midRates, rateDay } from './fx-rates.ts';
import { readBase, readCurrency } from './read-fx-input.ts';

/** `GET /rates?base=GBP`: every other currency's mid rate against the base, today. */
export function listRatesEndpoint(deps: { clock: Clock }): Middleware {
  return async function listRates(ctx) {
    const base = readBase(ctx.query);
    const date = rateDay(deps.clock.now());
    ctx.body = { base, date, rates: midRates(base, date) };
  };
}

/** `GET /rates/{currency}?base=GBP`: one currency's mid rate against the base, today. */
export function readRateEndpoint(deps: { clock: Clock }): Middleware {
  return async function readRate(ctx) {
    const currency = readCurrency(ctx.params['currency']!);
    const base = readBase(ctx.query);
    const date = rateDay(deps.clock.now());
    ctx.body = { base, currency, rate: midRate(base, currency, date), date };
  };
}
