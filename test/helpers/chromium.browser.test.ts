/**
 * The accessibility check every journey's screenshot runs: it must find what axe-core finds, or
 * every journey's check would pass whatever the page.
 */
import assert from 'node:assert/strict';

import { assertAccessible, browserTest } from './chromium.ts';

const PAGE = (body: string) => `<!doctype html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>${body}</main></body></html>`;

browserTest('a page with an image without text and a field without a label fails the check, naming both', {}, async (page) => {
  await page.setContent(PAGE('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'));
  await assert.rejects(assertAccessible(page, 'broken'), (error: assert.AssertionError) => {
    const found = error.actual as string[];
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0]!, /^image-alt \(critical\): .*; at img$/);
    assert.match(found[1]!, /^label \(critical\): .*; at input$/);
    return true;
  });
});

browserTest('the same page with alternative text and a label passes', {}, async (page) => {
  await page.setContent(PAGE('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A dot"><label>Name <input type="text"></label>'));
  await assertAccessible(page, 'fixed');
});
