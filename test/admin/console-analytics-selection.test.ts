/**
 * The analytics' selection (pure): periods ending now per bucket, custom periods in UTC aligned to
 * their first bucket, the second period compared; and the CSV writer's quoting and formula guard.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { readAnalyticsSelection } from '../../src/admin/analytics/analytics-selection.schema.ts';
import { csvText } from '../../src/shared/csv-text.ts';

const NOW = new Date('2026-12-06T14:37:20Z');
const read = (query: Record<string, string>) => {
  const reading = readAnalyticsSelection(query, NOW);
  assert.ok(reading.ok, JSON.stringify(reading));
  return reading.value;
};
const iso = (at: Date | undefined) => at?.toISOString();

test('a range ends with the bucket now is in; the default is the last 24 hours per hour', () => {
  const hour = read({ range: 'hour', compare: 'previous' });
  assert.deepEqual([iso(hour.from), iso(hour.to), hour.bucket], ['2026-12-06T13:38:00.000Z', '2026-12-06T14:38:00.000Z', 'minute']);
  assert.deepEqual([iso(hour.compare?.from), iso(hour.compare?.to)], ['2026-12-06T12:38:00.000Z', '2026-12-06T13:38:00.000Z']);
  const day = read({});
  assert.deepEqual([day.range, iso(day.from), iso(day.to), day.bucket], ['day', '2026-12-05T15:00:00.000Z', '2026-12-06T15:00:00.000Z', 'hour']);
  const month = read({ range: '30d' });
  assert.deepEqual([iso(month.from), iso(month.to), month.bucket], ['2026-11-07T00:00:00.000Z', '2026-12-07T00:00:00.000Z', 'day']);
});

test('a custom period is UTC, starts at its first bucket, and picks its bucket by length', () => {
  const short = read({ from: '2026-12-06T10:07:30', to: '2026-12-06T12:00' });
  assert.deepEqual([short.range, iso(short.from), iso(short.to), short.bucket], ['custom', '2026-12-06T10:07:00.000Z', '2026-12-06T12:00:00.000Z', 'minute']);
  const day = read({ range: 'custom', from: '2026-12-05T10:30+01:00', to: '2026-12-06' });
  assert.deepEqual([iso(day.from), day.bucket], ['2026-12-05T09:00:00.000Z', 'hour']);
  const weeks = read({ from: '2026-11-01', to: '2026-11-15T12:00Z', compare: 'custom', compareFrom: '2025-11-01T05:00Z', compareTo: '2025-11-15' });
  assert.deepEqual([weeks.bucket, iso(weeks.compare?.from), weeks.compare?.kind], ['day', '2025-11-01T00:00:00.000Z', 'custom']);
  const apart = readAnalyticsSelection({ from: '2026-12-06T10:00Z', to: '2026-12-06T11:00Z', compare: 'custom', compareFrom: '2026-01-01', compareTo: '2026-12-01' }, NOW);
  assert.deepEqual(apart.ok ? [] : apart.errors.map((error) => error.path), ['compareTo'], 'a second period of more minutes than a chart holds');
});

test('CSV: quoted where RFC 4180 says, formulas written as text, numbers as numbers', () => {
  assert.equal(csvText([['name', 'calls', 'change'], ['=1+1', 3, -2], ['a "quoted", name', null, 0.5], ['@cmd', Number.NaN, 1], ['\tx', 1, 1], ['line\nbreak', 1, 1]]),
    'name,calls,change\r\n\'=1+1,3,-2\r\n"a ""quoted"", name",,0.5\r\n\'@cmd,,1\r\n\'\tx,1,1\r\n"line\nbreak",1,1\r\n');
  assert.equal(csvText([['-10', '+44 20', 'ok']]), '\'-10,\'+44 20,ok\r\n');
});
