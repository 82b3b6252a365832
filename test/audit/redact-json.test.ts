import assert from 'node:assert/strict';
import { test } from 'node:test';

import { redactJson } from '../../src/audit/redact-json.ts';

test('named members are redacted at any depth, inside arrays, whatever their value and the case of their name', () => {
  const body = {
    Data: { DebtorAccount: { Identification: '12345678', Name: 'Ann' }, Pin: 1234, items: [{ password: 'x', keep: 1 }, [{ PASSWORD: null }]] },
    token: { nested: 'whole object goes' },
    keep: 'me',
  };
  assert.deepEqual(redactJson(body, ['identification', 'pin', 'Password', 'token']), {
    Data: { DebtorAccount: { Identification: '[redacted]', Name: 'Ann' }, Pin: '[redacted]', items: [{ password: '[redacted]', keep: 1 }, [{ PASSWORD: '[redacted]' }]] },
    token: '[redacted]',
    keep: 'me',
  });
  assert.deepEqual(body.Data.DebtorAccount, { Identification: '12345678', Name: 'Ann' }, 'the value given is left as it is');
});

test('values without the named members come back equal; scalars and top-level arrays pass through', () => {
  const body = { a: [1, 'two', { three: 3 }], b: null };
  assert.deepEqual(redactJson(body, ['secret']), body);
  assert.deepEqual(redactJson(body, []), body);
  assert.equal(redactJson('password', ['password']), 'password');
  assert.equal(redactJson(null, ['password']), null);
  assert.deepEqual(redactJson([{ secret: 1 }], ['secret']), [{ secret: '[redacted]' }]);
  const bare = Object.assign(Object.create(null) as Record<string, unknown>, { secret: 's' });
  assert.deepEqual(redactJson(bare, ['secret']), { secret: '[redacted]' });
});
