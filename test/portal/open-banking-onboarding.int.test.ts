/**
 * Open Banking onboarding from the developer portal alone, over real TLS against the real app (the
 * sandbox bank with its directory and bank core, in a store of this file's own): a software
 * statement for an application, its bundle, registration by DCR over mutual TLS with the client
 * linked to the application, then the page's printed commands run with the bundle take Alice
 * through a consent; and every bad request, a directory's and the bank's refusals, a registration
 * endpoint that does not answer, and a bank with no directory.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { strFromU8, unzipSync } from 'fflate';
import { decodeJwt } from 'jose';

import { CustomerBrowser } from '../helpers/customer-browser.ts';
import { demoEnvironment, runDemo } from '../helpers/demo-process.ts';
import { freePort } from '../helpers/free-port.ts';
import { openIsolatedStore } from '../helpers/isolated-store.ts';
import { ALICE } from '../helpers/ob-partner.ts';
import { csrfIn, insertVerifiedDeveloper, type PortalBrowser, signedInBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

const SANDBOX_BANK = fileURLToPath(new URL('../../sandbox/sandbox-bank.ts', import.meta.url));
const BUNDLE_FILES = ['README.txt', 'demo-partner.config.json', 'postman_collection.json', 'signing-jwks.json', 'signing-key.jwk.json', 'software-statement.jwt', 'transport-ca.pem', 'transport.key', 'transport.pem'];

let portcullis: TestPortcullis;
before(async () => {
  // The sandbox bank as npm start has it (its bank core behind the gateway, for the demo's call to
  // the accounts), in a store of this file's own, so that its catalogue is nobody else's.
  const store = await openIsolatedStore();
  portcullis = await startTestPortcullis({ BANK_INTEGRATION: SANDBOX_BANK }, { store: store.db });
});
after(() => portcullis?.close());

interface Partner {
  developer: { id: string; email: string };
  browser: PortalBrowser;
  organisationId: string;
  applicationId: string;
  appPath: string;
  obPath: string;
}

/** A developer signed in, with an organisation and an application in it, on `app`. */
async function partnerWithApp(app: TestPortcullis = portcullis, name = 'Budget Buddy'): Promise<Partner> {
  const developer = await insertVerifiedDeveloper(app.db);
  const browser = await signedInBrowser(app.caPem, app.urls.browser, developer);
  const organisation = await browser.submit('/organisations/new', '/organisations', { name: 'Budget Ltd' });
  const organisationPath = organisation.headers.get('location')!.replace(/\?.*$/, '');
  const created = await browser.submit(`${organisationPath}/apps/new`, `${organisationPath}/apps`, { name });
  assert.equal(created.status, 303);
  const appPath = created.headers.get('location')!.replace(/\?.*$/, '');
  return {
    developer, browser, appPath, obPath: `${appPath}/open-banking`,
    organisationId: decodeURIComponent(organisationPath.split('/')[2]!), applicationId: decodeURIComponent(appPath.split('/')[2]!),
  };
}

/** Posts to `action` with the browser's CSRF token, read from the application's page (whose forms always carry it). */
async function post(partner: Partner, action: string, fields: Record<string, string> = {}): Promise<Response> {
  const csrf = csrfIn(await (await partner.browser.get(partner.appPath)).text());
  return partner.browser.post(action, { csrf, ...fields });
}

const statementForm = (redirectUris: string[], roles = ['AISP']) => ({
  client_name: 'Budget Buddy', redirect_uris: redirectUris.join('\r\n'), ...Object.fromEntries(roles.map((role) => [`role_${role}`, 'on'])),
});

async function createStatement(partner: Partner, redirectUris = ['https://budget.example/callback']) {
  const created = await post(partner, `${partner.obPath}/software-statement`, statementForm(redirectUris));
  assert.equal(created.status, 303, await created.text());
  assert.equal(created.headers.get('location'), `${partner.obPath}?created`);
  return portcullis.db('portal_software_statements').where({ application_id: partner.applicationId }).first();
}

/** The bundle, unzipped: file name (without its folder) → text. */
async function downloadBundle(partner: Partner, softwareId: string): Promise<Record<string, string>> {
  const answer = await partner.browser.get(`${partner.obPath}/bundle`);
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('content-type'), 'application/zip');
  assert.equal(answer.headers.get('content-disposition'), `attachment; filename="sandbox-${softwareId}.zip"`);
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  const files = unzipSync(new Uint8Array(await answer.arrayBuffer()));
  return Object.fromEntries(Object.entries(files).map(([name, content]) => [name.slice(`sandbox-${softwareId}/`.length), strFromU8(content)]));
}

async function unzipInto(dir: string, bundle: Record<string, string>, softwareId: string): Promise<string> {
  for (const [name, content] of Object.entries(bundle)) {
    const path = join(dir, `sandbox-${softwareId}`, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return join(dir, `sandbox-${softwareId}`, 'demo-partner.config.json');
}

/** `npm run demo -- --config <file> consent accounts`, Alice approving through the link it prints. */
async function consentWithDemo(configFile: string) {
  let customer: Promise<void> | undefined;
  const run = await runDemo(demoEnvironment(portcullis), ['--config', configFile, 'consent', 'accounts'], (soFar) => {
    const start = /https:\/\/localhost:\d+\/start/.exec(soFar);
    if (!start || customer) return;
    customer = new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]).authorize(new URL(start[0]), ALICE)
      .then(async (callback) => {
        await (await tlsFetch(portcullis.caPem)(callback.href)).text();
      });
  });
  await customer;
  return run;
}

describe('Open Banking onboarding from the portal', () => {
  test('create a software statement → download the bundle → register by DCR → run a consent with it', async () => {
    const partner = await partnerWithApp();
    assert.match(await (await partner.browser.get(partner.appPath)).text(), new RegExp(`href="${partner.obPath}">Register with Open Banking \\(sandbox\\)`));
    const form = await partner.browser.get(partner.obPath);
    assert.equal(form.status, 200);
    assert.equal(form.headers.get('cache-control'), 'no-store');
    assert.match(await form.text(), /id="client_name" name="client_name" autocomplete="off" value="Budget Buddy"/);

    const redirectUri = `https://localhost:${await freePort()}/callback`;
    const created = await post(partner, `${partner.obPath}/software-statement`, statementForm(['https://budget.example/callback', redirectUri], ['AISP', 'CBPII']));
    assert.equal(created.status, 303, await created.text());
    assert.equal(created.headers.get('location'), `${partner.obPath}?created`);

    // The organisation signed up at the directory (remembered), and the application's statement there.
    const link = await portcullis.db('portal_directory_links').where({ organisation_id: partner.organisationId }).first();
    const directoryOrganisation = await portcullis.db('sandbox_directory_organisations').where({ org_id: link.directory_organisation_id }).first();
    assert.deepEqual([directoryOrganisation.name, directoryOrganisation.contact_email], ['Budget Ltd', partner.developer.email]);
    const { software_id: softwareId, directory_organisation_id: orgId } = await portcullis.db('portal_software_statements').where({ application_id: partner.applicationId }).first();
    assert.equal(orgId, link.directory_organisation_id);
    const software = await portcullis.db('sandbox_directory_software').where({ software_id: softwareId }).first();
    assert.deepEqual([software.org_id, software.client_name, software.roles, software.redirect_uris], [orgId, 'Budget Buddy', ['AISP', 'CBPII'], ['https://budget.example/callback', redirectUri]]);

    const page = await (await partner.browser.get(`${partner.obPath}?created`)).text();
    assert.match(page, /The software statement has been created/);
    assert.match(page, new RegExp(`<dt>Software ID</dt><dd><code>${softwareId}</code>`));
    assert.match(page, new RegExp(`action="${partner.obPath}/registration"`));
    assert.match(page, new RegExp(`npm run demo -- --config sandbox-${softwareId}/demo-partner.config.json register`));

    const bundle = await downloadBundle(partner, softwareId);
    assert.deepEqual(Object.keys(bundle).sort(), BUNDLE_FILES);
    const ssa = decodeJwt(bundle['software-statement.jwt']!.trim());
    assert.deepEqual([ssa['software_id'], ssa['org_id'], ssa['software_client_name'], ssa['software_roles']], [softwareId, orgId, 'Budget Buddy', ['AISP', 'CBPII']]);

    const registered = await post(partner, `${partner.obPath}/registration`);
    assert.equal(registered.status, 303, await registered.text());
    assert.equal(registered.headers.get('location'), `${partner.obPath}?registered`);
    const { client_id: clientId } = await portcullis.db('applications').where({ id: partner.applicationId }).first();
    assert.ok(clientId);
    const client = await portcullis.db('oidc_clients').where({ client_id: clientId }).first();
    assert.equal(client.software_id, softwareId);
    assert.equal(client.metadata.token_endpoint_auth_method, 'private_key_jwt');
    assert.equal(client.metadata.tls_client_certificate_bound_access_tokens, true);
    assert.deepEqual(client.metadata.redirect_uris, ['https://budget.example/callback', redirectUri]);
    const done = await (await partner.browser.get(`${partner.obPath}?registered`)).text();
    assert.match(done, new RegExp(`as client <code id="client-id">${clientId}</code>`));
    assert.match(done, new RegExp(`npm run demo -- --config sandbox-${softwareId}/demo-partner.config.json consent accounts`));
    assert.doesNotMatch(done, /Register by DCR/);
    assert.match(await (await partner.browser.get(partner.appPath)).text(), new RegExp(`as the OAuth client <code>${clientId}</code>`));

    // Twice is refused, and nothing more is registered.
    const again = await post(partner, `${partner.obPath}/registration`);
    assert.equal(again.status, 409);
    assert.match(await again.text(), new RegExp(`registered already, as client ${clientId}`));
    assert.equal((await portcullis.db('oidc_clients').where({ software_id: softwareId })).length, 1);

    // The bundle again, now with the registration: the page's commands run a consent with it.
    const registeredBundle = await downloadBundle(partner, softwareId);
    assert.deepEqual(Object.keys(registeredBundle).sort(), [...BUNDLE_FILES, 'demo-registration.json'].sort());
    const saved = JSON.parse(registeredBundle['demo-registration.json']!);
    assert.deepEqual([saved.clientId, saved.issuer, saved.softwareId, saved.orgId, saved.redirectUri], [clientId, portcullis.config.issuer, softwareId, orgId, redirectUri]);
    assert.match(registeredBundle['README.txt']!, new RegExp(`client ${clientId}`));
    const dir = await mkdtemp(join(tmpdir(), 'portcullis-portal-bundle-'));
    try {
      const consent = await consentWithDemo(await unzipInto(dir, registeredBundle, softwareId));
      assert.equal(consent.code, 0, consent.output);
      assert.match(consent.output, /"Status": "Authorised"/);
      assert.match(consent.output, /through the gateway: GET \/open-banking\/v3\.1\/aisp\/accounts\n\{[\s\S]*"AccountId": "acc-0001-current"/);
      const consentId = /openbanking_intent_id: (aac-[\w-]+)/.exec(consent.output)?.[1];
      assert.equal((await portcullis.db('consents').where({ id: consentId }).first())?.client_id, clientId);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an outsider is told the application does not exist (404), and nothing is made for them', async () => {
    const partner = await partnerWithApp();
    const outsider = await partnerWithApp(portcullis, 'Someone else\'s app');
    const theirs = { ...outsider, obPath: partner.obPath };
    assert.equal((await outsider.browser.get(partner.obPath)).status, 404);
    assert.equal((await post(theirs, `${partner.obPath}/software-statement`, statementForm(['https://budget.example/callback']))).status, 404);
    assert.equal((await outsider.browser.get(`${partner.obPath}/bundle`)).status, 404);
    assert.equal((await post(theirs, `${partner.obPath}/registration`)).status, 404);
    assert.equal(await portcullis.db('portal_software_statements').where({ application_id: partner.applicationId }).first(), undefined);
    assert.equal(await portcullis.db('portal_directory_links').where({ organisation_id: partner.organisationId }).first(), undefined);
  });

  test('a form with mistakes comes back with each beside its field (400); no bundle or registration before a statement; one statement an application', async () => {
    const partner = await partnerWithApp();
    const bad = await post(partner, `${partner.obPath}/software-statement`, { client_name: ' ', redirect_uris: 'http://budget.example/callback\nhttps://budget.example/cb#top' });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /<title>Error: Open Banking: Budget Buddy/);
    assert.match(html, /<li><a href="#client_name">Enter the name customers will see<\/a><\/li>\s*<li><a href="#redirect_uris">http:\/\/budget\.example\/callback is not an absolute https URL without a fragment<\/a><\/li>\s*<li><a href="#role_AISP">Choose at least one role<\/a><\/li>/);
    assert.match(html, /<p class="error" id="client_name-error">Enter the name customers will see<\/p>\s*<input type="text" id="client_name"[^>]*aria-invalid="true">/);
    assert.match(html, /<textarea id="redirect_uris" name="redirect_uris" rows="3" spellcheck="false" aria-describedby="redirect_uris-hint redirect_uris-error" aria-invalid="true">http:\/\/budget\.example\/callback\nhttps:\/\/budget\.example\/cb#top<\/textarea>/);
    assert.match(html, /<p class="error" id="roles-error">Choose at least one role<\/p>/);
    assert.doesNotMatch(html, /id="role_AISP" name="role_AISP" checked/);

    const fragment = await post(partner, `${partner.obPath}/software-statement`, statementForm(['https://budget.example/cb#top']));
    assert.equal(fragment.status, 400);
    assert.match(await fragment.text(), /https:\/\/budget\.example\/cb#top is not an absolute https URL without a fragment/);
    const none = await post(partner, `${partner.obPath}/software-statement`, statementForm([]));
    assert.equal(none.status, 400);
    assert.match(await none.text(), /<p class="error" id="redirect_uris-error">Enter at least one redirect URI<\/p>/);
    const eleven = await post(partner, `${partner.obPath}/software-statement`, statementForm(Array.from({ length: 11 }, (_, n) => `https://budget.example/cb${n}`)));
    assert.equal(eleven.status, 400);
    assert.match(await eleven.text(), /Enter at most 10 redirect URIs/);
    assert.equal(await portcullis.db('portal_directory_links').where({ organisation_id: partner.organisationId }).first(), undefined);

    const noBundle = await partner.browser.get(`${partner.obPath}/bundle`);
    assert.equal(noBundle.status, 409);
    assert.match(await noBundle.text(), /The application has no software statement yet/);
    assert.equal((await post(partner, `${partner.obPath}/registration`)).status, 409);

    await createStatement(partner);
    const second = await post(partner, `${partner.obPath}/software-statement`, statementForm(['https://budget.example/other']));
    assert.equal(second.status, 409);
    assert.match(await second.text(), /The application has a software statement already/);
  });

  test('the directory\'s refusal and the bank\'s are shown on a page (409); a refused registration can be tried again, and two at once make one client', async () => {
    const partner = await partnerWithApp();
    const row = await createStatement(partner);

    // The directory's cap: the organisation's other application gets no statement.
    await portcullis.db.raw(`insert into sandbox_directory_software (software_id, org_id, client_name, roles, redirect_uris, logo_uri, software_statement, transport_certificate, signing_jwks, sealed_keys, created_at)
      select software_id || '-' || n, org_id, client_name, roles, redirect_uris, logo_uri, software_statement, transport_certificate, signing_jwks, sealed_keys, created_at
      from sandbox_directory_software, generate_series(1, 19) as n where software_id = ?`, [row.software_id]);
    const organisationPath = `/organisations/${encodeURIComponent(partner.organisationId)}`;
    const another = await partner.browser.submit(`${organisationPath}/apps/new`, `${organisationPath}/apps`, { name: 'Second app' });
    const anotherApp = { ...partner, appPath: another.headers.get('location')!.replace(/\?.*$/, '') };
    anotherApp.obPath = `${anotherApp.appPath}/open-banking`;
    const capped = await post(anotherApp, `${anotherApp.obPath}/software-statement`, statementForm(['https://budget.example/callback']));
    assert.equal(capped.status, 409);
    assert.match(await capped.text(), /The sandbox directory refused: An organisation holds at most 20 software statements in the sandbox/);

    // The bank refuses a statement whose signature is not the directory's.
    const software = await portcullis.db('sandbox_directory_software').where({ software_id: row.software_id }).first();
    const [header, payload] = software.software_statement.split('.');
    await portcullis.db('sandbox_directory_software').where({ software_id: row.software_id }).update({ software_statement: `${header}.${payload}.${'A'.repeat(342)}` });
    const refused = await post(partner, `${partner.obPath}/registration`);
    assert.equal(refused.status, 409);
    assert.match(await refused.text(), /The bank refused the registration: invalid_software_statement/);
    assert.equal((await portcullis.db('applications').where({ id: partner.applicationId }).first()).client_id, null);
    assert.equal((await portcullis.db('portal_software_statements').where({ application_id: partner.applicationId }).first()).registering_since, null);

    await portcullis.db('sandbox_directory_software').where({ software_id: row.software_id }).update({ software_statement: software.software_statement });
    const csrf = csrfIn(await (await partner.browser.get(partner.appPath)).text());
    const both = await Promise.all([1, 2].map(() => partner.browser.post(`${partner.obPath}/registration`, { csrf })));
    assert.deepEqual(both.map((answer) => answer.status).sort(), [303, 409]);
    assert.equal((await portcullis.db('oidc_clients').where({ software_id: row.software_id })).length, 1);
    const { client_id: clientId } = await portcullis.db('applications').where({ id: partner.applicationId }).first();
    assert.equal((await portcullis.db('oidc_clients').where({ software_id: row.software_id }).first()).client_id, clientId);
  });

  test('a registration endpoint that does not answer is a 503 page with Retry-After, and nothing is registered', async () => {
    const unreachable = await startTestPortcullis({ MTLS_BASE_URL: `https://localhost:${await freePort()}` });
    try {
      const partner = await partnerWithApp(unreachable);
      const created = await partner.browser.submit(partner.appPath, `${partner.obPath}/software-statement`, statementForm(['https://budget.example/callback']));
      assert.equal(created.status, 303);
      const down = await partner.browser.submit(partner.appPath, `${partner.obPath}/registration`, {});
      assert.equal(down.status, 503);
      assert.equal(down.headers.get('retry-after'), '30');
      assert.match(await down.text(), /The bank&#39;s registration endpoint is not answering just now\. Nothing was registered: try again in a minute\./);
      assert.equal((await unreachable.db('applications').where({ id: partner.applicationId }).first()).client_id, null);
      assert.equal((await unreachable.db('portal_software_statements').where({ application_id: partner.applicationId }).first()).registering_since, null);
    } finally {
      await unreachable.close();
    }
  });

  test('a bank with no sandbox directory: the page says so, and its actions are not there (404)', async () => {
    const tiny = await startTestPortcullis({ BANK_INTEGRATION: fileURLToPath(new URL('../server/fixtures/tiny-bank.ts', import.meta.url)), CERTS_DIR: portcullis.certsDir });
    try {
      const partner = await partnerWithApp(tiny);
      const page = await partner.browser.get(partner.obPath);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /This bank has no sandbox directory to onboard with from the portal/);
      assert.equal((await post(partner, `${partner.obPath}/software-statement`, statementForm(['https://budget.example/callback']))).status, 404);
      assert.equal((await partner.browser.get(`${partner.obPath}/bundle`)).status, 404);
      assert.equal((await post(partner, `${partner.obPath}/registration`)).status, 404);
    } finally {
      await tiny.close();
    }
  });
});
