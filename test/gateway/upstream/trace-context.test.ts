import assert from 'node:assert/strict';
import test from 'node:test';

import { propagateTraceContext } from '../../../src/gateway/upstream/trace-context.ts';

test('new traces are well formed and never repeat, across many refills of the random pool', () => {
  const traceIds = new Set<string>();
  const parentIds = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const headers: Record<string, string> = {};
    propagateTraceContext(headers);
    const [version, traceId, parentId, flags] = headers['traceparent']!.split('-');
    assert.equal(version, '00');
    assert.equal(flags, '00');
    assert.match(traceId!, /^[0-9a-f]{32}$/);
    assert.match(parentId!, /^[0-9a-f]{16}$/);
    assert.notEqual(traceId, '0'.repeat(32));
    traceIds.add(traceId!);
    parentIds.add(parentId!);
  }
  assert.equal(traceIds.size, 2000);
  assert.equal(parentIds.size, 2000);
});
