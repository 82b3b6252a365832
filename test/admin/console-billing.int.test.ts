/**
 * Billing in the console and the admin API, on one instance whose payment provider is Stripe (a
 * local stand-in): an admin runs a month, reads its lines and totals, exports it as CSV, closes
 * it, sets a customer id and pushes it (the stand-in records one event per line, however often it
 * is pushed); each change audited as the admin API's route. A viewer sees and exports but changes
 * nothing (403). The admin API does the same, in JSON and CSV, with its refusals as problem details.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { ADMIN_OPENAPI } from '../../src/admin/admin-api.openapi.ts';
import { addBilledApplication, addCalls, addPricedPlan, inMonth, testBillingMonth, type BilledApplication } from '../helpers/billing-fixtures.ts';
import { insertOperator, signedInConsole } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { csrfIn, type PortalBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { startStripeStandIn, type StripeStandIn } from '../helpers/stripe-stand-in.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

let portcullis: TestPortcullis;
let stripe: StripeStandIn;
let billingAdmin: PortalBrowser;
let operatorId: string;
let viewer: PortalBrowser;
/** An operator runs the API programme; billing is an admin's. */
let operatorRole: PortalBrowser;
// Months of this run's own: on PostgreSQL the store is shared, and a closed month stays closed.
const month = testBillingMonth();
let apiMonth = testBillingMonth();
while (apiMonth === month) apiMonth = testBillingMonth();
let clinic: BilledApplication;
let planName: string;

before(async () => {
  stripe = await startStripeStandIn();
  portcullis = await startTestPortcullis({ ROLES: 'console', STRIPE_API_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url, STRIPE_METER_EVENT_NAME: 'api_usage' });
  await portcullis.db('billing_months').whereIn('month', [month, apiMonth]).delete();
  const plan = await addPricedPlan(portcullis.db, { priceMinorUnits: 4900, quotaPerMonth: 10_000 });
  planName = plan.planName;
  clinic = await addBilledApplication(portcullis.db, 'Clinic Finder', { planId: plan.planId, since: inMonth(apiMonth, 40), status: 'cancelled' });
  await addCalls(portcullis.db, { minute: inMonth(month, 3), ...clinic, ...plan, count: 1234 });
  await addCalls(portcullis.db, { minute: inMonth(apiMonth, 3), ...clinic, ...plan, count: 5 });
  const someone = await insertOperator(portcullis.db, portcullis.secrets, { role: 'admin' });
  operatorId = someone.id;
  [billingAdmin, viewer, operatorRole] = await Promise.all([
    signedInConsole(portcullis.caPem, portcullis.urls.browser, someone),
    signedInConsole(portcullis.caPem, portcullis.urls.browser, await insertOperator(portcullis.db, portcullis.secrets, { role: 'viewer' })),
    signedInConsole(portcullis.caPem, portcullis.urls.browser, await insertOperator(portcullis.db, portcullis.secrets, { role: 'operator' })),
  ]);
});
after(async () => {
  await portcullis?.close();
  await stripe?.close();
});

async function send(browser: PortalBrowser, action: string, fields: Record<string, string> = {}, from = '/console/billing'): Promise<Response> {
  return browser.post(action, { csrf: csrfIn(await (await browser.get(from)).text()), ...fields });
}

const audited = () => portcullis.db('audit_log').where({ kind: 'admin', actor: `operator:${operatorId}` }).where('action', 'like', '% /admin/v1/billing/%').orderBy('seq');

test('an admin runs a month, reads and exports it, closes it, sets a customer id and pushes it; each change audited as the admin API\'s', async () => {
  const run = await send(billingAdmin, '/console/billing/run', { month });
  assert.equal(run.status, 303);
  assert.equal(run.headers.get('location'), `/console/billing/${month}?run`);
  const page = await (await billingAdmin.get(`/console/billing/${month}?run`)).text();
  assert.match(page, /The month has been run/);
  assert.match(page, new RegExp(`<td data-label="Organisation">Clinic Finder Ltd</td>\\s*<th scope="row" data-label="Application">Clinic Finder</th>\\s*<td data-label="Plan">${planName}</td>\\s*<td data-label="Calls" class="numeric">1,234 <span class="detail">of 10,000</span></td>\\s*<td data-label="Amount" class="numeric">49.00 GBP</td>`));
  assert.match(page, /Open \(draft\)/);
  assert.match(await (await billingAdmin.get('/console/billing')).text(), new RegExp(`href="/console/billing/${month}">`));

  const csv = await billingAdmin.get(`/console/billing/${month}/lines.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type')!, /^text\/csv; charset=utf-8/);
  assert.equal(csv.headers.get('content-disposition'), `attachment; filename="billing-${month}.csv"`);
  assert.match(await csv.text(), new RegExp(`^month,organisation_id,[^\\r]*\\r\\n(?:.*\\r\\n)*${month},${clinic.organisationId},Clinic Finder Ltd,${clinic.applicationId},Clinic Finder,[^,]+,${planName},1234,4900,GBP,49.00,unpushed\\r\\n`));

  const monthPage = `/console/billing/${month}`;
  assert.equal((await send(billingAdmin, `${monthPage}/push`, {}, monthPage)).status, 409, 'an open month is not pushed');
  assert.equal((await send(billingAdmin, `${monthPage}/close`, {}, monthPage)).headers.get('location'), `${monthPage}?closed`);
  assert.equal((await send(billingAdmin, `${monthPage}/close`, {}, monthPage)).status, 409, 'closed once');
  const customer = await send(billingAdmin, '/console/billing/customers', { month, organisationId: clinic.organisationId, customerId: 'cus_ClinicFinder' }, monthPage);
  assert.equal(customer.headers.get('location'), `${monthPage}?customer`);
  assert.equal((await send(billingAdmin, '/console/billing/customers', { month, organisationId: clinic.organisationId, customerId: 'not a customer' }, monthPage)).status, 400);
  for (let push = 0; push < 2; push += 1) assert.equal((await send(billingAdmin, `${monthPage}/push`, {}, monthPage)).headers.get('location'), `${monthPage}?pushed`);
  const ours = stripe.events.filter((event) => event.payload['stripe_customer_id'] === 'cus_ClinicFinder');
  assert.deepEqual(ours.map((event) => [event.event_name, event.payload['value'], event.payload['calls']]), [['api_usage', '4900', '1234']], 'pushed twice, billed once');
  assert.match(await (await billingAdmin.get(monthPage)).text(), /<span class="badge badge-live">Sent<\/span>/);

  await eventually(async () => (await audited()).length === 8, { withinMs: 5_000, what: 'the changes in the audit log' });
  const entries = await audited();
  assert.deepEqual(entries.map((entry) => [entry.action, entry.status]), [
    ['POST /admin/v1/billing/months/{month}/run', 303],
    ['POST /admin/v1/billing/months/{month}/push', 409],
    ['POST /admin/v1/billing/months/{month}/close', 303],
    ['POST /admin/v1/billing/months/{month}/close', 409],
    ['PUT /admin/v1/billing/customers/{organisationId}', 303],
    ['PUT /admin/v1/billing/customers/{organisationId}', 400],
    ['POST /admin/v1/billing/months/{month}/push', 303],
    ['POST /admin/v1/billing/months/{month}/push', 303],
  ]);
  const [runEntry, , closeEntry, , customerEntry, , pushEntry] = entries;
  assert.deepEqual([runEntry.payload.params, runEntry.payload.before, runEntry.payload.after.status], [{ month }, null, 'open']);
  assert.deepEqual([closeEntry.payload.before.status, closeEntry.payload.after.status], ['open', 'closed']);
  assert.deepEqual([pushEntry.payload.before.pushes, pushEntry.payload.after.pushes], [{ unpushed: 1, pending: 0, sent: 0, failed: 0 }, { unpushed: 0, pending: 0, sent: 1, failed: 0 }]);
  assert.deepEqual([customerEntry.payload.params, customerEntry.payload.request, customerEntry.payload.before.customerId, customerEntry.payload.after.customerId], [{ organisationId: clinic.organisationId }, { customerId: 'cus_ClinicFinder' }, null, 'cus_ClinicFinder']);
});

test('a viewer and an operator see billing and export it but change nothing (403: billing is an admin\'s); client mistakes are 400 and 404', async () => {
  const list = await (await viewer.get('/console/billing')).text();
  assert.doesNotMatch(list, /action="\/console\/billing\/run"/, 'no run form for a viewer');
  assert.equal((await viewer.get(`/console/billing/${month}/lines.csv`)).status, 200);
  for (const [action, fields] of [['/console/billing/run', { month }], [`/console/billing/${month}/run`, {}], [`/console/billing/${month}/close`, {}], [`/console/billing/${month}/push`, {}], ['/console/billing/customers', { month, organisationId: clinic.organisationId, customerId: 'cus_x' }]] as const) {
    assert.equal((await send(viewer, action, fields)).status, 403, action);
    assert.equal((await send(operatorRole, action, fields)).status, 403, action);
  }
  assert.equal((await send(billingAdmin, '/console/billing/run', { month: '2026-13' })).status, 400);
  assert.equal((await send(billingAdmin, '/console/billing/run', { month: '2999-01' })).status, 400);
  assert.equal((await send(billingAdmin, '/console/billing/1989-02/close')).status, 404);
  assert.equal((await billingAdmin.get('/console/billing/1989-02')).status, 404);
});

// Every admin API answer is checked against the schema its document gives it.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'admin', components: ADMIN_OPENAPI.components }, 'admin');
function assertMatches(schemaName: string, body: unknown): void {
  const validate = ajv.getSchema(`admin#/components/schemas/${schemaName}`)!;
  assert.ok(validate(body), `${schemaName}: ${JSON.stringify(validate.errors)}`);
}

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; type: string; body: any; text: string }> {
  const response = await tlsFetch(portcullis.caPem)(`${portcullis.urls.admin}/admin/v1${path}`, {
    method, headers: { authorization: `Bearer ${portcullis.secrets.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, text, body: type.includes('json') ? JSON.parse(text) : undefined };
}

test('the admin API runs, reads (JSON and CSV), closes and pushes a month, and sets customer ids', async () => {
  const run = await admin('POST', `/billing/months/${apiMonth}/run`);
  assert.equal(run.status, 200);
  assertMatches('BillingMonthWithLines', run.body);
  assert.equal(run.body.status, 'open');
  const read = await admin('GET', `/billing/months/${apiMonth}`);
  assert.deepEqual(read.body, run.body);
  const csv = await admin('GET', `/billing/months/${apiMonth}/lines.csv`);
  assert.deepEqual([csv.status, csv.type.split(';')[0], csv.text.split('\r\n').length], [200, 'text/csv', run.body.lines.length + 2], 'a header, a row per line, and the last line end');
  assert.equal((await admin('POST', `/billing/months/${apiMonth}/push`)).status, 409);
  const closed = await admin('POST', `/billing/months/${apiMonth}/close`);
  assertMatches('BillingMonthWithLines', closed.body);
  assert.equal(closed.body.status, 'closed');
  const again = await admin('POST', `/billing/months/${apiMonth}/run`);
  assert.deepEqual([again.status, again.body.lines], [200, closed.body.lines], 'a closed month runs to the same lines');
  const pushed = await admin('POST', `/billing/months/${apiMonth}/push`);
  assertMatches('BillingPush', pushed.body);
  assert.equal(pushed.body.provider, 'stripe');
  const months = await admin('GET', '/billing/months');
  assertMatches('BillingMonthList', months.body);
  assert.ok(months.body.items.some((each: { month: string }) => each.month === apiMonth));

  const customer = await admin('PUT', `/billing/customers/${clinic.organisationId}`, { customerId: 'cus_Clinic2' });
  assertMatches('BillingCustomer', customer.body);
  assert.equal((await admin('PUT', '/billing/customers/org-nonexistent', { customerId: 'cus_x' })).status, 404);
  const invalid = await admin('PUT', `/billing/customers/${clinic.organisationId}`, { customerId: 'cus x', extra: 1 });
  assert.deepEqual([invalid.status, invalid.body.type.endsWith('validation-failed')], [400, true]);
  const badMonth = await admin('POST', '/billing/months/2026-13/run');
  assert.deepEqual([badMonth.status, badMonth.body.errors], [400, [{ path: 'month', message: 'must be a month written YYYY-MM' }]]);
  assert.equal((await admin('GET', '/billing/months/1989-03')).status, 404);
  assert.equal((await admin('GET', '/billing/months/1989-03/lines.csv')).status, 404);
  assert.equal((await admin('POST', '/billing/months/1989-03/close')).status, 404);
});
