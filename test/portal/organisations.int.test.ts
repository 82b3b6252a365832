/**
 * Organisations in the portal over real TLS against the real app and store: creating one, inviting
 * by mail, accepting (only with the invited address), roles and their rights, never losing the last
 * owner, and outsiders told nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { eventually } from '../helpers/eventually.ts';
import { insertVerifiedDeveloper, newDeveloperAddress, PortalBrowser, signedInBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

type Developer = Awaited<ReturnType<typeof insertVerifiedDeveloper>>;
const signIn = (developer: Developer) => signedInBrowser(portcullis.caPem, portcullis.urls.browser, developer);

async function newOrganisation(name = 'Acme Payments'): Promise<{ owner: Developer; browser: PortalBrowser; organisationId: string; path: string }> {
  const owner = await insertVerifiedDeveloper(portcullis.db, { name: 'Olive Owner' });
  const browser = await signIn(owner);
  const created = await browser.submit('/organisations/new', '/organisations', { name });
  assert.equal(created.status, 303);
  const path = created.headers.get('location')!.replace(/\?created$/, '');
  return { owner, browser, organisationId: decodeURIComponent(path.split('/')[2]!), path };
}

/** Invites `email` and returns the token the mail carries. */
async function invite(owner: PortalBrowser, path: string, email: string, role = 'developer'): Promise<string> {
  const answer = await owner.submit(path, `${path}/invitations`, { email, role });
  assert.equal(answer.status, 303);
  assert.equal(answer.headers.get('location'), `${path}?invited`);
  const [mail] = await portcullis.db('portal_outbox').where({ recipient: email }).orderBy('id', 'desc').limit(1);
  return (mail.body as string).match(/\/account\/invitation\?token=([A-Za-z0-9_-]{43})/)![1]!;
}

async function accept(browser: PortalBrowser, token: string): Promise<Response> {
  return browser.submit(`/account/invitation?token=${token}`, '/account/invitation', { token });
}

describe('creating an organisation', () => {
  test('a signed-in developer without one is prompted; the creator becomes its owner and it is announced', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    const browser = await signIn(developer);
    assert.match(await (await browser.get('/account')).text(), /<a class="portal-button" href="\/organisations\/new">Create an organisation<\/a>/);
    const created = await browser.submit('/organisations/new', '/organisations', { name: '  Acme <Labs>  ' });
    assert.equal(created.status, 303);
    const page = await browser.get(created.headers.get('location')!);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h1>Acme &lt;Labs&gt;<\/h1>/);
    assert.match(html, /Your organisation has been created/);
    assert.match(html, /<td data-label="Role">Owner<\/td>/);
    assert.match(await (await browser.get('/account')).text(), /Acme &lt;Labs&gt;<\/a> <span class="detail">Owner<\/span>/);
    const organisationId = decodeURIComponent(created.headers.get('location')!.split(/[/?]/)[2]!);
    const audited = () => portcullis.db('audit_log').where({ kind: 'event', action: 'organisation.member_changed' }).whereRaw("payload->>'organisationId' = ?", [organisationId]);
    await eventually(async () => (await audited()).length === 1, { withinMs: 5_000, what: 'the audit entry' });
    assert.equal((await audited())[0].payload.change, 'added');
  });

  test('a blank or overlong name is a mistake beside its field (400) and creates nothing', async () => {
    const developer = await insertVerifiedDeveloper(portcullis.db);
    const browser = await signIn(developer);
    for (const [name, message] of [[' ', 'Enter the organisation&#39;s name'], ['x'.repeat(101), 'Enter a name of at most 100 characters']] as const) {
      const answer = await browser.submit('/organisations/new', '/organisations', { name });
      assert.equal(answer.status, 400);
      const html = await answer.text();
      assert.match(html, /<title>Error: Create an organisation/);
      assert.ok(html.includes(`<li><a href="#name">${message}</a></li>`), html);
    }
    assert.equal((await portcullis.db('organisation_members').where({ developer_id: developer.id })).length, 0);
  });

  test('signed out, the pages lead to sign-in; a form without its CSRF token is refused (403)', async () => {
    const visitor = new PortalBrowser(portcullis.caPem, portcullis.urls.browser);
    const page = await visitor.get('/organisations/new');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/account/sign-in?next=%2Forganisations%2Fnew');
    const developer = await insertVerifiedDeveloper(portcullis.db);
    const browser = await signIn(developer);
    assert.equal((await browser.post('/organisations', { name: 'Forged' })).status, 403);
  });
});

describe('invitations', () => {
  test('an owner invites by mail; the invited address signs in and joins with the role given', async () => {
    const { browser: owner, path, organisationId } = await newOrganisation();
    const invitee = await insertVerifiedDeveloper(portcullis.db, { name: 'Ivy Invitee' });
    const token = await invite(owner, path, invitee.email.toUpperCase());
    const listed = await (await owner.get(path)).text();
    assert.match(listed, new RegExp(`<td data-label="Email address">${invitee.email.toUpperCase()}</td>`));

    const signedOut = new PortalBrowser(portcullis.caPem, portcullis.urls.browser);
    const landing = await signedOut.get(`/account/invitation?token=${token}`);
    assert.equal(landing.status, 200);
    assert.equal(landing.headers.get('referrer-policy'), 'no-referrer');
    const landingHtml = await landing.text();
    assert.match(landingHtml, /Olive Owner invited <strong>/);
    assert.ok(landingHtml.includes(`href="/account/sign-in?next=${encodeURIComponent(`/account/invitation?token=${token}`)}"`));

    const joined = await accept(await signIn(invitee), token);
    assert.equal(joined.status, 303);
    assert.equal(joined.headers.get('location'), `${path}?joined`);
    const membership = await portcullis.db('organisation_members').where({ organisation_id: organisationId, developer_id: invitee.id }).first();
    assert.equal(membership.role, 'developer');
    const spent = await (await signIn(invitee)).get(`/account/invitation?token=${token}`);
    assert.equal(spent.status, 400, 'a spent invitation');
    assert.match(await spent.text(), /has been accepted, withdrawn or has expired/);
  });

  test('another address cannot accept it (403), and an unknown, withdrawn or replaced token is a 400 page', async () => {
    const { browser: owner, path, organisationId } = await newOrganisation();
    const invited = newDeveloperAddress();
    const first = await invite(owner, path, invited);
    const second = await invite(owner, path, invited);
    const stranger = await signIn(await insertVerifiedDeveloper(portcullis.db));
    const wrong = await accept(stranger, second);
    assert.equal(wrong.status, 403);
    assert.match(await wrong.text(), new RegExp(`This invitation is for ${invited}`));
    assert.equal((await stranger.get(`/account/invitation?token=${first}`)).status, 400, 'replaced by the newer invitation');
    assert.equal((await stranger.get('/account/invitation?token=nonsense')).status, 400);
    assert.equal((await stranger.get(`/account/invitation?token=${'A'.repeat(43)}`)).status, 400);

    const [open] = await portcullis.db('organisation_invitations').where({ organisation_id: organisationId }).whereNull('ended_at');
    assert.equal((await owner.submit(path, `${path}/invitations/${open.id}/withdraw`, {})).status, 303);
    assert.equal((await stranger.get(`/account/invitation?token=${second}`)).status, 400);
    assert.equal((await owner.submit(path, `${path}/invitations/${open.id}/withdraw`, {})).status, 404, 'withdrawn already');
    assert.equal((await portcullis.db('organisation_members').where({ organisation_id: organisationId })).length, 1);
  });

  test('bad invitation forms are mistakes beside their fields (400); a member already is a 409; nothing is mailed', async () => {
    const { browser: owner, path, owner: ownerRow } = await newOrganisation();
    const mailsBefore = (await portcullis.db('portal_outbox')).length;
    const bad = await owner.submit(path, `${path}/invitations`, { email: 'not an address', role: 'admin' });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.deepEqual([...html.matchAll(/<li><a href="#(\w+)">/g)].map((match) => match[1]), ['email', 'role']);
    assert.ok(html.includes('value="not an address"'));
    const member = await owner.submit(path, `${path}/invitations`, { email: ownerRow.email, role: 'developer' });
    assert.equal(member.status, 409);
    assert.equal((await portcullis.db('portal_outbox')).length, mailsBefore);
  });
});

describe('roles', () => {
  async function withDeveloper() {
    const organisation = await newOrganisation();
    const colleague = await insertVerifiedDeveloper(portcullis.db, { name: 'Dev Colleague' });
    const colleagueBrowser = await signIn(colleague);
    assert.equal((await accept(colleagueBrowser, await invite(organisation.browser, organisation.path, colleague.email))).status, 303);
    return { ...organisation, colleague, colleagueBrowser };
  }

  test('a developer sees the members but cannot invite, re-role or remove (403); an outsider is told nothing (404)', async () => {
    const { path, owner, colleague, colleagueBrowser, organisationId } = await withDeveloper();
    const page = await (await colleagueBrowser.get(path)).text();
    assert.doesNotMatch(page, /Invite someone/);
    assert.match(page, /Olive Owner/);
    const csrfFrom = async () => (await (await colleagueBrowser.get(path)).text()).match(/name="csrf" value="([^"]+)"/)![1]!;
    assert.equal((await colleagueBrowser.post(`${path}/invitations`, { csrf: await csrfFrom(), email: newDeveloperAddress(), role: 'owner' })).status, 403);
    assert.equal((await colleagueBrowser.post(`${path}/members/${owner.id}`, { csrf: await csrfFrom(), action: 'remove' })).status, 403);
    assert.equal((await colleagueBrowser.post(`${path}/members/${colleague.id}`, { csrf: await csrfFrom(), action: 'role', role: 'owner' })).status, 403);
    const outsider = await signIn(await insertVerifiedDeveloper(portcullis.db));
    const hidden = await outsider.get(path);
    assert.equal(hidden.status, 404);
    assert.equal((await outsider.get('/organisations/org-does-not-exist')).status, 404);
    assert.deepEqual((await portcullis.db('organisation_members').where({ organisation_id: organisationId }).orderBy('role')).map((row) => row.role), ['developer', 'owner']);
  });

  test('the last owner can neither step down nor leave (409); with a second owner, they can', async () => {
    const { path, browser, owner, colleague, organisationId } = await withDeveloper();
    const stepDown = await browser.submit(path, `${path}/members/${owner.id}`, { action: 'role', role: 'developer' });
    assert.equal(stepDown.status, 409);
    assert.match(await stepDown.text(), /An organisation needs an owner/);
    assert.equal((await browser.submit(path, `${path}/members/${owner.id}`, { action: 'remove' })).status, 409);
    assert.equal((await browser.submit(path, `${path}/members/${colleague.id}`, { action: 'role', role: 'owner' })).status, 303);
    const left = await browser.submit(path, `${path}/members/${owner.id}`, { action: 'remove' });
    assert.equal(left.status, 303);
    assert.equal(left.headers.get('location'), '/account?left');
    assert.deepEqual((await portcullis.db('organisation_members').where({ organisation_id: organisationId })).map((row) => [row.developer_id, row.role]), [[colleague.id, 'owner']]);
    assert.equal((await browser.get(path)).status, 404, 'no longer a member');
  });

  test('an owner removes a developer; a change the page does not offer is a 400', async () => {
    const { path, browser, colleague, colleagueBrowser } = await withDeveloper();
    assert.equal((await browser.submit(path, `${path}/members/${colleague.id}`, { action: 'promote' })).status, 400);
    assert.equal((await browser.submit(path, `${path}/members/${colleague.id}`, { action: 'role', role: 'admin' })).status, 400);
    assert.equal((await browser.submit(path, `${path}/members/dev-nobody`, { action: 'remove' })).status, 404);
    const removed = await browser.submit(path, `${path}/members/${colleague.id}`, { action: 'remove' });
    assert.equal(removed.headers.get('location'), `${path}?removed`);
    assert.equal((await colleagueBrowser.get(path)).status, 404);
  });
});
