import assert from 'node:assert/strict';
import { test } from 'node:test';

import { KEEP_AFTER_WINDOW_SECONDS, limitWindow } from '../../../src/gateway/limits/limit-window.ts';

const at = (iso: string) => new Date(iso);

test('a day is the UTC calendar day: it ends at 00:00 UTC, whatever time the first call came', () => {
  assert.deepEqual(limitWindow('day', at('2026-12-04T23:59:30Z')), { id: '2026-12-04', seconds: 86400, resetSeconds: 30, keepSeconds: 30 + KEEP_AFTER_WINDOW_SECONDS });
  assert.equal(limitWindow('day', at('2026-12-04T23:59:59.999Z')).id, '2026-12-04');
  assert.equal(limitWindow('day', at('2026-12-04T23:59:59.999Z')).resetSeconds, 1);
  assert.deepEqual(limitWindow('day', at('2026-12-05T00:00:00Z')), { id: '2026-12-05', seconds: 86400, resetSeconds: 86400, keepSeconds: 86400 + KEEP_AFTER_WINDOW_SECONDS });
  // Another time zone's offset changes nothing: the instant is what counts.
  assert.equal(limitWindow('day', at('2026-12-05T00:30:00+01:00')).id, '2026-12-04');
});

test('a month is the calendar month in UTC, its own length long', () => {
  assert.deepEqual(limitWindow('month', at('2026-12-31T23:59:00Z')), { id: '2026-12', seconds: 31 * 86400, resetSeconds: 60, keepSeconds: 60 + KEEP_AFTER_WINDOW_SECONDS });
  assert.equal(limitWindow('month', at('2027-01-01T00:00:00Z')).id, '2027-01');
  assert.equal(limitWindow('month', at('2028-02-10T00:00:00Z')).seconds, 29 * 86400);
  assert.equal(limitWindow('month', at('2027-02-10T00:00:00Z')).seconds, 28 * 86400);
  assert.equal(limitWindow('month', at('2026-04-30T12:00:00Z')).resetSeconds, 12 * 3600);
});

test('seconds and minutes are aligned to the clock', () => {
  assert.deepEqual(limitWindow('second', at('2026-12-04T21:20:05.300Z')), { id: '2026-12-04T21:20:05', seconds: 1, resetSeconds: 1, keepSeconds: 1 + KEEP_AFTER_WINDOW_SECONDS });
  assert.equal(limitWindow('second', at('2026-12-04T21:20:06Z')).id, '2026-12-04T21:20:06');
  assert.deepEqual(limitWindow('minute', at('2026-12-04T21:20:05.300Z')), { id: '2026-12-04T21:20', seconds: 60, resetSeconds: 55, keepSeconds: 55 + KEEP_AFTER_WINDOW_SECONDS });
  assert.equal(limitWindow('minute', at('2026-12-04T21:20:00Z')).resetSeconds, 60);
});
