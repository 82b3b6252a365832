import assert from 'node:assert/strict';
import { test } from 'node:test';

import { findJsonProblem } from '../../src/shared/find-json-problem.ts';

const nested = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}1${']'.repeat(levels)}`);

test('clean JSON of any shape has no problem', () => {
  for (const value of [null, 1, true, 'text', [], {}, { Data: { Permissions: ['ReadBalances'], Amount: { Amount: '1.00' } } }]) {
    assert.equal(findJsonProblem(value, 32), undefined);
  }
});

test('a string with a NUL or an unpaired surrogate is found at its Open Banking style path', () => {
  assert.deepEqual(findJsonProblem({ Data: { Permissions: ['ReadBalances', 'Read\u0000'] } }, 32), { path: 'Data.Permissions[1]', reason: 'text' });
  assert.deepEqual(findJsonProblem([{ a: 'ok' }, { b: '\ud800' }], 32), { path: '[1].b', reason: 'text' });
  assert.deepEqual(findJsonProblem('\u0000', 32), { path: '', reason: 'text' });
});

test('a key with a NUL is reported at the path of the object holding it, which can be shown', () => {
  assert.deepEqual(findJsonProblem({ Risk: { 'a\u0000': 1 } }, 32), { path: 'Risk', reason: 'text' });
});

test('problems are found in document order', () => {
  assert.deepEqual(findJsonProblem({ first: ['\u0000'], second: '\u0000' }, 32), { path: 'first[0]', reason: 'text' });
});

test('depth counts objects and arrays, the outermost being level 1: the limit is allowed, one more is not', () => {
  assert.equal(findJsonProblem(nested(32), 32), undefined);
  assert.deepEqual(findJsonProblem(nested(33), 32), { path: '[0]'.repeat(32), reason: 'depth' });
  assert.equal(findJsonProblem({ a: { b: [1] } }, 3), undefined);
  assert.deepEqual(findJsonProblem({ a: { b: [1] } }, 2), { path: 'a.b', reason: 'depth' });
});

test('a walk over input far deeper than any stack stops at the limit without overflowing', () => {
  assert.deepEqual(findJsonProblem(nested(200_000), 32)?.reason, 'depth');
});
