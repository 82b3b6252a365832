import assert from 'node:assert/strict';
import { test } from 'node:test';

import { generateBank } from '../../sandbox/bank/generate/generate-bank.ts';

// The store's side of a 10,000-customer seed is seed-10000.int.test.ts, its time and memory
// `npm run bench:seed`. This is the generator's side: all of it, streamed.
test('a bank of 10,000 generated customers streams through in bounded memory, every identification unique', () => {
  const identifications = new Set<string>();
  let customers = 0;
  let accounts = 0;
  let transactions = 0;
  let peakHeap = 0;
  for (const unit of generateBank({ seed: 'ten-thousand', customers: 10_000, asOf: '2026-12-01' })) {
    customers += unit.customers.length;
    for (const account of unit.accounts) {
      accounts++;
      identifications.add(`${account.row.scheme_name} ${account.row.identification}`);
      transactions += account.transactions.length;
    }
    if (customers % 500 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  assert.equal(customers, 10_008);
  assert.ok(accounts > 11_000, `${accounts} accounts`);
  assert.equal(identifications.size, accounts);
  assert.ok(transactions > 300_000, `${transactions} transactions`);
  assert.ok(peakHeap < 200 * 1024 * 1024, `heap stays small: ${Math.round(peakHeap / 1024 / 1024)} MiB`);
});
