import assert from 'node:assert/strict';
import { test } from 'node:test';

import { soonestLifecycleHeaders } from '../../src/gateway/pipeline/part-lifecycle-headers.ts';

test('the earliest Deprecation and Sunset among the composite route and its parts', () => {
  assert.deepEqual(soonestLifecycleHeaders([
    {},
    { deprecation: '@1780000000', sunset: 'Wed, 30 Jun 2027 00:00:00 GMT', link: '<https://gw.example/v2>; rel="successor-version"' },
    { deprecation: '@1770000000', sunset: 'Wed, 31 Mar 2027 00:00:00 GMT' },
    { 'content-type': 'application/json' },
  ]), { Deprecation: '@1770000000', Sunset: 'Wed, 31 Mar 2027 00:00:00 GMT' });
});

test('nothing when no part is deprecated; a value that is no date is not carried', () => {
  assert.deepEqual(soonestLifecycleHeaders([{}, { 'content-type': 'application/json' }]), {});
  assert.deepEqual(soonestLifecycleHeaders([{ deprecation: 'true', sunset: 'soon' }]), {});
  assert.deepEqual(soonestLifecycleHeaders([{ deprecation: '@1770000000' }]), { Deprecation: '@1770000000' });
});
