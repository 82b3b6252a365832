import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { PartAnswer } from '../../src/gateway/pipeline/call-part.ts';
import { mergeParts } from '../../src/gateway/pipeline/merge-parts.ts';

const answer = (name: string, status: number, body?: string): PartAnswer => ({ name, status, headers: {}, body: body === undefined ? undefined : Buffer.from(body), upstreamMs: undefined });

const clinic = answer('clinic', 200, '{"id":"c1"}');
const doctors = answer('doctors', 200, '[{"name":"Dr Lund"}]');

test('2xx JSON is merged under each name in the order the route lists them; an empty 2xx body is null', () => {
  const merged = mergeParts([doctors, clinic, answer('notes', 204, '')], 'fail');
  assert.deepEqual(merged, { merged: { doctors: [{ name: 'Dr Lund' }], clinic: { id: 'c1' }, notes: null } });
  assert.deepEqual(Object.keys((merged as { merged: object }).merged), ['doctors', 'clinic', 'notes']);
});

test('fail: a 401, 403 or 429 is the refusal passed on; anything else fails the call naming the part', () => {
  for (const status of [401, 403, 429]) {
    const refusal = answer('doctors', status, '{}');
    assert.deepEqual(mergeParts([clinic, refusal], 'fail'), { refused: refusal }, String(status));
  }
  for (const failed of [answer('doctors', 500, 'boom'), answer('doctors', 404, '{}'), answer('doctors', 304, ''), answer('doctors', 200, 'not json'), answer('doctors', 502)]) {
    assert.deepEqual(mergeParts([clinic, failed], 'fail'), { failed: 'doctors' }, `${failed.status} ${String(failed.body)}`);
  }
});

test('fail: the first failed part in the route\'s order decides, whatever the others said', () => {
  assert.deepEqual(mergeParts([answer('a', 503, ''), answer('b', 429, '{}')], 'fail'), { failed: 'a' });
  const refusal = answer('a', 403, '{}');
  assert.deepEqual(mergeParts([refusal, answer('b', 500, '')], 'fail'), { refused: refusal });
});

test('omit: failed parts are left out and listed in _errors with their status (502 for an answer that is not JSON)', () => {
  assert.deepEqual(mergeParts([answer('a', 504), clinic, answer('b', 200, '<html>'), answer('c', 429, '{}')], 'omit'), {
    merged: { clinic: { id: 'c1' }, _errors: [{ name: 'a', status: 504 }, { name: 'b', status: 502 }, { name: 'c', status: 429 }] },
  });
  assert.deepEqual(mergeParts([clinic, doctors], 'omit'), { merged: { clinic: { id: 'c1' }, doctors: [{ name: 'Dr Lund' }] } }, 'no marker when nothing failed');
});
