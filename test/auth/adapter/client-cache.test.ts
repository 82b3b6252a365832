import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ClientCache } from '../../../src/auth/adapter/client-cache.ts';

describe('ClientCache', () => {
  function frozenCache(ttlSeconds = 10, maxEntries = 10) {
    const clock = { ms: 1_000_000 };
    const cache = new ClientCache({ ttlSeconds, maxEntries, now: () => clock.ms });
    return { clock, cache };
  }

  it('returns metadata until the TTL has passed, then nothing', () => {
    const { clock, cache } = frozenCache();
    const metadata = { client_id: 'tpp-1' };
    cache.set('tpp-1', metadata, cache.stamp());

    clock.ms += 9_999;
    assert.equal(cache.get('tpp-1'), metadata);
    clock.ms += 1;
    assert.equal(cache.get('tpp-1'), undefined);
  });

  it('keeps nothing with a TTL of 0', () => {
    const { cache } = frozenCache(0);
    cache.set('tpp-1', { client_id: 'tpp-1' }, cache.stamp());
    assert.equal(cache.get('tpp-1'), undefined);
  });

  it('forgets a client at once', () => {
    const { cache } = frozenCache();
    cache.set('tpp-1', { client_id: 'tpp-1' }, cache.stamp());
    cache.forget('tpp-1');
    assert.equal(cache.get('tpp-1'), undefined);
  });

  it('does not keep what a lookup read while a client changed', () => {
    const { cache } = frozenCache();
    const stamp = cache.stamp();
    cache.forget('tpp-1');
    cache.set('tpp-1', { client_id: 'tpp-1', client_name: 'before the change' }, stamp);

    assert.equal(cache.get('tpp-1'), undefined);
    cache.set('tpp-1', { client_id: 'tpp-1' }, cache.stamp());
    assert.deepEqual(cache.get('tpp-1'), { client_id: 'tpp-1' });
  });

  it('forgets every client at once, and what lookups in flight read', () => {
    const { cache } = frozenCache();
    cache.set('tpp-1', { client_id: 'tpp-1' }, cache.stamp());
    cache.set('tpp-2', { client_id: 'tpp-2' }, cache.stamp());
    const stamp = cache.stamp();
    cache.forgetAll();
    cache.set('tpp-3', { client_id: 'tpp-3' }, stamp);

    assert.deepEqual(['tpp-1', 'tpp-2', 'tpp-3'].map((id) => cache.get(id)), [undefined, undefined, undefined]);
  });

  it('drops the least recently used client beyond maxEntries', () => {
    const { cache } = frozenCache(10, 2);
    cache.set('a', { client_id: 'a' }, cache.stamp());
    cache.set('b', { client_id: 'b' }, cache.stamp());
    cache.get('a');
    cache.set('c', { client_id: 'c' }, cache.stamp());

    assert.deepEqual(['a', 'b', 'c'].map((id) => cache.get(id)?.client_id), ['a', undefined, 'c']);
  });

  it('rejects a TTL or size that makes no sense', () => {
    assert.throws(() => new ClientCache({ ttlSeconds: -1, maxEntries: 1 }), RangeError);
    assert.throws(() => new ClientCache({ ttlSeconds: Number.POSITIVE_INFINITY, maxEntries: 1 }), RangeError);
    assert.throws(() => new ClientCache({ ttlSeconds: 10, maxEntries: 0 }), RangeError);
  });
});
