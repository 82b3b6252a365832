/**
 * The account pages a journey elsewhere does not reach, in a real Chromium: a forgotten password
 * reset from the mailed link (on a phone), and an invitation accepted by someone who signs in on
 * the way (on a desktop), each page with a screenshot and an accessibility check.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { insertVerifiedDeveloper, signedInBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

browserTest('a developer resets a forgotten password from the mailed link, on a phone', { phone: true }, async (page) => {
  const developer = await insertVerifiedDeveloper(portcullis.db, { name: 'Forgetful Fran' });
  await page.goto(`${portcullis.urls.browser}/account/sign-in`);
  await page.getByRole('link', { name: 'Forgotten your password?' }).tap();
  await page.getByLabel('Email address').fill(developer.email);
  await saveScreenshot(page, 'portal/forgot-password-phone');
  await page.getByRole('button', { name: 'Send the link' }).tap();
  await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();

  await page.getByRole('link', { name: 'development outbox' }).tap();
  await page.getByRole('article').filter({ hasText: `To ${developer.email}` }).getByRole('link').tap();
  await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Set the password' }).tap();
  await page.getByRole('alert').waitFor();
  assert.match((await page.getByRole('alert').textContent())!, /Choose a password of at least 12 characters/);
  await saveScreenshot(page, 'portal/reset-password-errors-phone');
  await page.getByLabel('New password').fill('a brand new long password');
  await page.getByRole('button', { name: 'Set the password' }).tap();

  await page.getByRole('status').filter({ hasText: 'Your password has been changed' }).waitFor();
  await page.getByLabel('Email address').fill(developer.email);
  await page.getByLabel('Password').fill('a brand new long password');
  await page.getByRole('button', { name: 'Sign in' }).tap();
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390, 'nothing scrolls sideways');
});

browserTest('an invited developer signs in on the way and joins the organisation', {}, async (page) => {
  const owner = await insertVerifiedDeveloper(portcullis.db, { name: 'Olu Owner' });
  const invitee = await insertVerifiedDeveloper(portcullis.db, { name: 'Ines Invitee' });
  const ownerBrowser = await signedInBrowser(portcullis.caPem, portcullis.urls.browser, owner);
  const organisationPath = (await ownerBrowser.submit('/organisations/new', '/organisations', { name: 'Olu & Co' })).headers.get('location')!.replace(/\?.*$/, '');
  assert.equal((await ownerBrowser.submit(organisationPath, `${organisationPath}/invitations`, { email: invitee.email, role: 'developer' })).status, 303);
  const [mail] = await portcullis.db('portal_outbox').where({ recipient: invitee.email });
  const link = (mail.body as string).match(/https:\/\/\S+\/account\/invitation\?token=\S+/)![0];

  await page.goto(link.replace(portcullis.config.issuer, portcullis.urls.browser));
  await page.getByRole('heading', { level: 1, name: 'Join Olu & Co' }).waitFor();
  await saveScreenshot(page, 'portal/invitation-signed-out');
  await page.getByRole('link', { name: 'Sign in to accept' }).click();
  await page.getByLabel('Email address').fill(invitee.email);
  await page.getByLabel('Password').fill(invitee.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Join Olu & Co' }).click();
  await page.getByRole('status').filter({ hasText: 'You have joined the organisation' }).waitFor();
  const members = page.getByRole('table', { name: 'Members' });
  assert.match((await members.textContent())!, /Ines Invitee \(you\)[\s\S]*Developer/);
  assert.equal(await page.getByRole('heading', { name: 'Invite someone' }).count(), 0, 'a developer does not manage members');
  await saveScreenshot(page, 'portal/organisation-joined');

  // The owner's view: the member, and the roles they can change.
  const ownerPage = await ownerBrowser.get(organisationPath);
  assert.match(await ownerPage.text(), /Make owner<span class="visually-hidden">: Ines Invitee<\/span>/);
});
