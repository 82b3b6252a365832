import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { FX_CURRENCIES, isFxCurrency, midRate, midRates, rateDay } from '../../sandbox/bank-core/fx/fx-rates.ts';

/*
 * The sandbox's exchange rate table: twelve ISO 4217 currencies, mid rates that move a little from
 * one day to the next and never within a day, the same on every machine, cross rates consistent
 * through the pound, any currency a base.
 */

const DAY = '2026-09-01';

describe('sandbox exchange rates', () => {
  test('the same day gives the same figures on every machine', () => {
    assert.deepEqual(midRates('GBP', DAY), {
      EUR: 1.17062, USD: 1.34107, JPY: 198.291, CHF: 1.06968, CAD: 1.85545, AUD: 2.04629,
      NZD: 2.29157, SEK: 12.7312, NOK: 13.51, DKK: 8.74382, PLN: 4.97818,
    });
    assert.equal(midRate('EUR', 'DKK', DAY), 7.46941, 'the krone stays near its euro peg');
  });

  test('twelve ISO 4217 currencies, each a base for all the others', () => {
    assert.equal(FX_CURRENCIES.length, 12);
    for (const code of FX_CURRENCIES) assert.match(code, /^[A-Z]{3}$/);
    for (const base of FX_CURRENCIES) {
      const rates = midRates(base, DAY);
      assert.deepEqual(Object.keys(rates), FX_CURRENCIES.filter((currency) => currency !== base), `${base} quotes every other currency, not itself`);
      assert.equal(midRate(base, base, DAY), 1);
    }
    assert.equal(isFxCurrency('EUR'), true);
    assert.equal(isFxCurrency('XYZ'), false);
    assert.equal(isFxCurrency('toString'), false, 'no inherited member passes for a currency');
  });

  test('cross rates agree through the pound, and a rate and its inverse multiply to one, to rounding', () => {
    const eurUsd = midRate('EUR', 'USD', DAY);
    assert.ok(Math.abs(eurUsd - midRate('GBP', 'USD', DAY) / midRate('GBP', 'EUR', DAY)) / eurUsd < 1e-5);
    for (const [a, b] of [['GBP', 'JPY'], ['USD', 'CHF'], ['PLN', 'NZD']] as const) {
      assert.ok(Math.abs(midRate(a, b, DAY) * midRate(b, a, DAY) - 1) < 1e-5, `${a}/${b}`);
    }
    for (const rate of Object.values(midRates('USD', DAY))) assert.equal(Number(rate.toPrecision(6)), rate, 'six significant figures');
  });

  test('rates move from day to day, by at most a quarter of a percent against the table', () => {
    assert.notEqual(midRate('GBP', 'EUR', '2026-09-02'), midRate('GBP', 'EUR', DAY));
    for (let day = 1; day <= 28; day++) {
      const eur = midRate('GBP', 'EUR', `2026-02-${String(day).padStart(2, '0')}`);
      assert.ok(Math.abs(eur / 1.1712 - 1) <= 0.0025 + 1e-6, `${day}: ${eur}`);
    }
  });

  test('the rates are dated by the UTC day', () => {
    assert.equal(rateDay(new Date('2026-09-01T23:59:59.999Z')), '2026-09-01');
    assert.equal(rateDay(new Date('2026-09-02T00:30:00+01:00')), '2026-09-01');
  });
});
