import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pickWeighted } from '../../../src/gateway/upstream/pick-target.ts';

const targets = [{ name: 'a', weight: 3 }, { name: 'drained', weight: 0 }, { name: 'b', weight: 1 }];

test('each target owns a slice of [0, 1) as wide as its share of the weight', () => {
  assert.equal(pickWeighted(targets, () => 0)?.name, 'a');
  assert.equal(pickWeighted(targets, () => 0.7499)?.name, 'a');
  assert.equal(pickWeighted(targets, () => 0.75)?.name, 'b');
  assert.equal(pickWeighted(targets, () => 0.999999)?.name, 'b');
});

test('a weight of 0 or less is never picked; nothing to pick is undefined', () => {
  for (let point = 0; point < 1; point += 0.01) assert.notEqual(pickWeighted(targets, () => point)?.name, 'drained');
  assert.equal(pickWeighted([{ weight: 0 }, { weight: -1 }], () => 0.5), undefined);
  assert.equal(pickWeighted([], () => 0.5), undefined);
});

test('rounding that leaves the point at the very end still picks the last weighted target', () => {
  assert.equal(pickWeighted([{ name: 'x', weight: 0.1 }, { name: 'y', weight: 0.2 }, { name: 'z', weight: 0 }], () => 1 - Number.EPSILON / 4)?.name, 'y');
});
