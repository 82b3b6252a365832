/**
 * Roles on the console's pages, and admins managing operators: a viewer or an operator refused an
 * admin's action (403), a new operator with their first password shown once, another role, and a
 * disabled operator whose session ends at once; each change audited with who made it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { csrfIn, PortalBrowser } from '../helpers/portal-browser.ts';
import { insertOperator, newOperatorAddress, signedInConsole, type TestOperator } from '../helpers/console-browser.ts';
import { pollUntil } from '../helpers/eventually.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

const operatorWith = (fields: Parameters<typeof insertOperator>[2] = {}) => insertOperator(portcullis.db, portcullis.secrets, fields);
const signedIn = (operator: TestOperator) => signedInConsole(portcullis.caPem, portcullis.urls.browser, operator);
const auditOf = (operatorId: string, count: number) => pollUntil(
  () => portcullis.db('audit_log').whereRaw("payload->>'operatorId' = ?", [operatorId]).whereNot({ action: 'operator.signed_in' }).orderBy('seq').select('action', 'actor', 'payload'),
  (rows) => rows.length >= count, { withinMs: 5000, what: 'audit entries' },
).then(({ value }) => value);

/** Posts a form from the home page's sign-out token (any console page's token is the browser's). */
async function postFromConsole(browser: PortalBrowser, path: string, fields: Record<string, string>): Promise<Response> {
  const home = await browser.get('/console');
  assert.equal(home.status, 200);
  return browser.post(path, { csrf: csrfIn(await home.text()), ...fields });
}

describe('roles', () => {
  for (const role of ['viewer', 'operator'] as const) {
    test(`a${role === 'operator' ? 'n' : ''} ${role} may read the console but is refused the operators' pages and actions (403), and changes nothing`, async () => {
      const operator = await operatorWith({ role });
      const target = await operatorWith({ role: 'viewer' });
      const browser = await signedIn(operator);
      assert.equal((await browser.get('/console')).status, 200);
      const page = await browser.get('/console/operators');
      assert.equal(page.status, 403);
      assert.match(await page.text(), new RegExp(`Your role \\(${role === 'viewer' ? 'Viewer' : 'Operator'}\\) does not allow this\\.`));
      for (const [path, fields] of [
        ['/console/operators', { email: newOperatorAddress(), name: 'Mallory', role: 'admin' }],
        [`/console/operators/${target.id}/role`, { role: 'admin' }],
        [`/console/operators/${target.id}/disable`, {}],
        [`/console/operators/${operator.id}/role`, { role: 'admin' }],
      ] as const) assert.equal((await postFromConsole(browser, path, fields)).status, 403, path);
      const rows = await portcullis.db('operators').whereIn('id', [operator.id, target.id]).orderBy('id');
      assert.deepEqual(new Set(rows.map((row) => `${row.role}:${row.disabled_at}`)), new Set([`${role}:null`, 'viewer:null']));
      assert.equal(await portcullis.db('operators').where({ name: 'Mallory' }).first(), undefined);
    });
  }
});

describe('an admin manages operators', () => {
  test('adds one (201), whose first password is shown once and signs them in to their enrolment', async () => {
    const admin = await operatorWith({ role: 'admin' });
    const browser = await signedIn(admin);
    const email = newOperatorAddress();
    const page = await browser.get('/console/operators');
    assert.equal(page.status, 200);
    const added = await browser.post('/console/operators', { csrf: csrfIn(await page.text()), email, name: 'Katherine Johnson', role: 'operator' });
    assert.equal(added.status, 201);
    const html = await added.text();
    const password = html.match(/<p class="totp-secret"><code>([A-Za-z0-9_-]{24})<\/code><\/p>/)![1]!;
    assert.match(html, /<th scope="row">Katherine Johnson<\/th>/);
    assert.doesNotMatch(await (await browser.get('/console/operators')).text(), new RegExp(password), 'shown once');
    const newcomer = new PortalBrowser(portcullis.caPem, portcullis.urls.browser);
    const signIn = await newcomer.submit('/console/sign-in', '/console/sign-in', { email, password });
    assert.equal(signIn.headers.get('location'), '/console/enrol');
    const row = await portcullis.db('operators').where({ email_key: email }).first();
    assert.deepEqual((await auditOf(row.id, 1)).map((entry) => [entry.action, entry.actor, entry.payload.role]), [['operator.created', `operator:${admin.id}`, 'operator']]);
  });

  test('a mistake or a taken address comes back beside its field (400, 409)', async () => {
    const admin = await operatorWith({ role: 'admin' });
    const browser = await signedIn(admin);
    const bad = await postFromConsole(browser, '/console/operators', { email: 'nope', name: '', role: 'root' });
    assert.equal(bad.status, 400);
    assert.deepEqual([...(await bad.text()).matchAll(/<li><a href="#(\w+)">([^<]+)<\/a><\/li>/g)].map((match) => match[1]), ['email', 'name', 'role']);
    const taken = await postFromConsole(browser, '/console/operators', { email: admin.email.toUpperCase(), name: 'Twin', role: 'viewer' });
    assert.equal(taken.status, 409);
    assert.match(await taken.text(), /An operator with this email address exists already/);
  });

  test('gives another role, audited with before and after; the operator\'s next page knows it', async () => {
    const admin = await operatorWith({ role: 'admin' });
    const viewer = await operatorWith({ role: 'viewer' });
    const theirs = await signedIn(viewer);
    assert.equal((await theirs.get('/console/operators')).status, 403);
    const changed = await postFromConsole(await signedIn(admin), `/console/operators/${viewer.id}/role`, { role: 'admin' });
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get('location'), '/console/operators?changed');
    assert.equal((await theirs.get('/console/operators')).status, 200);
    assert.deepEqual((await auditOf(viewer.id, 1)).map((entry) => [entry.action, entry.actor, entry.payload.from, entry.payload.to]), [['operator.role_changed', `operator:${admin.id}`, 'viewer', 'admin']]);
  });

  test('disables one: their session ends at once and they can no longer sign in; audited', async () => {
    const admin = await operatorWith({ role: 'admin' });
    const leaver = await operatorWith({ role: 'operator' });
    const theirs = await signedIn(leaver);
    assert.equal((await theirs.get('/console')).status, 200);
    assert.equal((await postFromConsole(await signedIn(admin), `/console/operators/${leaver.id}/disable`, {})).status, 303);
    const after = await theirs.get('/console');
    assert.equal(after.status, 303);
    assert.equal(after.headers.get('location'), '/console/sign-in?next=%2Fconsole');
    assert.equal((await portcullis.db('operator_sessions').where({ operator_id: leaver.id })).length, 0);
    const again = await new PortalBrowser(portcullis.caPem, portcullis.urls.browser).submit('/console/sign-in', '/console/sign-in', { email: leaver.email, password: leaver.password });
    assert.equal(again.status, 401);
    assert.deepEqual((await auditOf(leaver.id, 1)).map((entry) => [entry.action, entry.actor]), [['operator.disabled', `operator:${admin.id}`]]);
  });

  test('cannot change or disable their own account (409), nor an unknown operator (404)', async () => {
    const admin = await operatorWith({ role: 'admin' });
    const browser = await signedIn(admin);
    assert.equal((await postFromConsole(browser, `/console/operators/${admin.id}/role`, { role: 'viewer' })).status, 409);
    assert.equal((await postFromConsole(browser, `/console/operators/${admin.id}/disable`, {})).status, 409);
    assert.equal((await postFromConsole(browser, '/console/operators/op-nobody/disable', {})).status, 404);
    assert.equal((await portcullis.db('operators').where({ id: admin.id }).first()).role, 'admin');
  });

  test('a form without its CSRF token is refused (403)', async () => {
    const admin = await operatorWith({ role: 'admin' });
    const victim = await operatorWith({ role: 'viewer' });
    const browser = await signedIn(admin);
    assert.equal((await browser.post(`/console/operators/${victim.id}/disable`, {})).status, 403);
    assert.equal((await portcullis.db('operators').where({ id: victim.id }).first()).disabled_at, null);
  });
});
