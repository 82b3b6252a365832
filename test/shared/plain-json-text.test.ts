import assert from 'node:assert/strict';
import { test } from 'node:test';

import { findJsonProblem } from '../../src/shared/find-json-problem.ts';
import { isPlainJsonText } from '../../src/shared/plain-json-text.ts';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

test('plain JSON passes without a parse: nesting within the limit, brackets in strings not counted', () => {
  assert.equal(isPlainJsonText('{"Data":{"Permissions":["ReadBalances"]},"Risk":{}}', 32), true);
  assert.equal(isPlainJsonText(nested(32), 32), true);
  assert.equal(isPlainJsonText(`{"note":"${'['.repeat(100)}"}`, 2), true, 'brackets inside a string');
  assert.equal(isPlainJsonText('{"a":"quote \\" then [[["}', 1), true, 'an escaped quote does not end the string');
});

test('anything findJsonProblem could refuse is sent on to it', () => {
  for (const text of [nested(33), '{"a":"\\u0000"}', '{"a":"\\ud800"}', '{"a":"\\uDFFF"}', '{"a\u0000":1}']) {
    assert.equal(isPlainJsonText(text, 32), false, text);
  }
  assert.equal(findJsonProblem(JSON.parse('{"a":"\\ud83d\\ude00"}'), 32), undefined, 'a paired escape sent on is then accepted');
});

test('agrees with findJsonProblem wherever it says plain', () => {
  for (const depth of [1, 5, 31, 32, 33, 40]) {
    const text = `{"k":${nested(depth)}}`;
    if (isPlainJsonText(text, 32)) assert.equal(findJsonProblem(JSON.parse(text), 32), undefined, text);
    else assert.ok(findJsonProblem(JSON.parse(text), 32), text);
  }
});
