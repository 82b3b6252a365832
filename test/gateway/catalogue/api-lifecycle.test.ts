import assert from 'node:assert/strict';
import { test } from 'node:test';

import { canTransition, lifecyclePath } from '../../../src/gateway/catalogue/api-lifecycle.ts';
import { LIFECYCLES, type Lifecycle } from '../../../src/gateway/catalogue/catalogue.types.ts';

const LEGAL = new Set(['draft→published', 'published→deprecated', 'deprecated→deprecated', 'deprecated→published', 'deprecated→retired']);

test('every move between two lifecycle states is legal exactly when the table says so', () => {
  for (const from of LIFECYCLES) {
    for (const to of LIFECYCLES) assert.equal(canTransition(from, to), LEGAL.has(`${from}→${to}`), `${from} → ${to}`);
  }
});

test('lifecyclePath finds the shortest legal way, or none', () => {
  const cases: Array<[Lifecycle, Lifecycle, Lifecycle[] | undefined]> = [
    ['draft', 'draft', []],
    ['draft', 'published', ['published']],
    ['draft', 'deprecated', ['published', 'deprecated']],
    ['draft', 'retired', ['published', 'deprecated', 'retired']],
    ['published', 'retired', ['deprecated', 'retired']],
    ['deprecated', 'published', ['published']],
    ['retired', 'published', undefined],
    ['retired', 'draft', undefined],
    ['published', 'draft', undefined],
  ];
  for (const [from, to, path] of cases) assert.deepEqual(lifecyclePath(from, to), path, `${from} → ${to}`);
});
