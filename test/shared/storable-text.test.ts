import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decodeComponent, decodeUtf8, isStorableText } from '../../src/shared/storable-text.ts';

test('text with a NUL or an unpaired surrogate cannot be stored; paired surrogates and any other character can', () => {
  assert.equal(isStorableText('a\u0000b'), false);
  assert.equal(isStorableText('a\ud800b'), false, 'high surrogate alone');
  assert.equal(isStorableText('a\udc00b'), false, 'low surrogate alone');
  assert.equal(isStorableText('\udc00\ud800'), false, 'a pair in the wrong order');
  assert.equal(isStorableText('caf\u00e9 \ud83d\ude00 \u0001 \uffff'), true);
  assert.equal(isStorableText(''), true);
});

test('bytes decode only when they are UTF-8 (RFC 3629): overlong forms, stray bytes and encoded surrogates are refused', () => {
  assert.equal(decodeUtf8(Buffer.from('caf\u00e9', 'utf8')), 'caf\u00e9');
  assert.equal(decodeUtf8(Buffer.from([0xc0, 0x80])), undefined, 'overlong NUL');
  assert.equal(decodeUtf8(Buffer.from([0x61, 0xff])), undefined);
  assert.equal(decodeUtf8(Buffer.from([0xed, 0xa0, 0x80])), undefined, 'a surrogate encoded as UTF-8 (CESU)');
  assert.equal(decodeUtf8(Buffer.from([0xe2, 0x82])), undefined, 'truncated sequence');
  assert.equal(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x7b])), '\ufeff{', 'a BOM is kept, as Buffer#toString keeps it');
});

test('percent-decoding is strict about UTF-8 and lenient about a stray %, as Node\'s querystring is', () => {
  assert.equal(decodeComponent('a%00b', false), 'a\u0000b', 'decoded: the NUL is for isStorableText to judge');
  assert.equal(decodeComponent('caf%C3%A9', false), 'caf\u00e9');
  assert.equal(decodeComponent('a%C0%80', false), undefined);
  assert.equal(decodeComponent('a%FF', false), undefined);
  assert.equal(decodeComponent('%ED%A0%80', false), undefined);
  assert.equal(decodeComponent('100%', false), '100%');
  assert.equal(decodeComponent('%zz%4', false), '%zz%4');
  assert.equal(decodeComponent('a+b%2B', true), 'a b+', 'form and query: + is a space');
  assert.equal(decodeComponent('a+b', false), 'a+b', 'path: + is a plus');
});
