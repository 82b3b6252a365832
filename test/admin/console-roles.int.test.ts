/**
 * Roles across the whole console, read from its router so that a page added later is covered
 * without being listed here: a viewer is refused (403) every change and every form that leads to
 * one, and may open every other page; an operator is refused what only an admin does (operators
 * and billing). Each section's own tests show the refused change left nothing behind.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type Router from '@koa/router';

import type { ConsoleDependencies } from '../../src/admin/console/console.deps.ts';
import { consoleRoutes } from '../../src/admin/console/console.routes.ts';
import { insertOperator, signedInConsole } from '../helpers/console-browser.ts';
import { csrfIn, type PortalBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

// Building the router reads no dependency: only requests do.
const layers = (consoleRoutes({} as ConsoleDependencies) as unknown as { router: Router }).router.stack
  .flatMap((layer) => layer.methods.filter((method) => method === 'GET' || method === 'POST').map((method) => ({ method, path: String(layer.path) })))
  .filter(({ path }) => !path.includes('{*rest}'));

/** Changes every role may make: signing in and out, and an operator's own API tokens (a token carries only its owner's role). */
const ANY_ROLE_POSTS = new Set(['/console/sign-in', '/console/sign-in/code', '/console/enrol', '/console/sign-out', '/console/account/tokens', '/console/account/tokens/:tokenId/revoke']);
/** Pages that are forms for a change: a viewer is refused them too. */
const FORM_PAGES = new Set(['/console/apis/new', '/console/apis/:apiId/edit', '/console/apis/:apiId/deprecate', '/console/plans/new', '/console/plans/:planId']);
/** What only an admin does: operators and billing (`operator-role.ts`). */
const administers = ({ method, path }: { method: string; path: string }) => path.startsWith('/console/operators') || (method === 'POST' && path.startsWith('/console/billing'));

let portcullis: TestPortcullis;
let viewer: PortalBrowser;
let operator: PortalBrowser;
let csrf: { viewer: string; operator: string };

before(async () => {
  portcullis = await startTestPortcullis();
  const { caPem, urls, db, secrets } = portcullis;
  [viewer, operator] = await Promise.all([
    signedInConsole(caPem, urls.browser!, await insertOperator(db, secrets, { role: 'viewer' })),
    signedInConsole(caPem, urls.browser!, await insertOperator(db, secrets, { role: 'operator' })),
  ]);
  csrf = { viewer: csrfIn(await (await viewer.get('/console')).text()), operator: csrfIn(await (await operator.get('/console')).text()) };
});
after(() => portcullis?.close());

const pathOf = (template: string) => template.replace(/:(\w+)/g, (_, name: string) => (name === 'month' ? '2026-01' : `unknown-${name}`));

async function statusFor(browser: PortalBrowser, token: string, { method, path }: { method: string; path: string }): Promise<number> {
  const answer = method === 'GET' ? await browser.get(pathOf(path)) : await browser.post(pathOf(path), { csrf: token });
  await answer.arrayBuffer();
  return answer.status;
}

test('the router has the console\'s sections, so the checks below cover them', () => {
  const posts = layers.filter(({ method }) => method === 'POST').map(({ path }) => path);
  for (const section of ['apis', 'plans', 'plan-requests', 'applications', 'keys', 'open-banking', 'billing', 'operators']) {
    assert.ok(posts.some((path) => path.startsWith(`/console/${section}`)), `a change under /console/${section}`);
  }
});

test('a viewer is refused every change and every form for one (403), and opens every other page', async () => {
  for (const layer of layers) {
    if (layer.method === 'POST' && ANY_ROLE_POSTS.has(layer.path)) continue;
    const status = await statusFor(viewer, csrf.viewer, layer);
    const refused = layer.method === 'POST' || FORM_PAGES.has(layer.path) || administers(layer);
    if (refused) assert.equal(status, 403, `${layer.method} ${layer.path}`);
    else assert.notEqual(status, 403, `${layer.method} ${layer.path}`);
  }
});

test('an operator is refused what only an admin does (operators, billing), and reaches the rest', async () => {
  for (const layer of layers) {
    if (layer.method === 'POST' && ANY_ROLE_POSTS.has(layer.path)) continue;
    const status = await statusFor(operator, csrf.operator, layer);
    if (administers(layer)) assert.equal(status, 403, `${layer.method} ${layer.path}`);
    else assert.notEqual(status, 403, `${layer.method} ${layer.path}`);
  }
});
