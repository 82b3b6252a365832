import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ConfigError } from '../../../src/config/config.ts';
import { createEventBus } from '../../../src/events/event-bus.ts';
import { createApi, loadCatalogue } from '../../../src/gateway/catalogue/catalogue.service.ts';
import { applyBankApis } from '../../../src/gateway/declarative/apply-bank-apis.ts';
import { capturedLogger } from '../../helpers/captured-logger.ts';
import { fixedClock } from '../../helpers/fixed-clock.ts';
import { openIsolatedStore, type IsolatedStore } from '../../helpers/isolated-store.ts';
import { storeKind } from '../../helpers/store.ts';

/*
 * A bank integration's own Open Banking APIs go into the catalogue at every start: added, then
 * kept up to date (the sandbox's bank core may listen somewhere else next time), and the APIs the
 * operators made stay as they are.
 */

let store: IsolatedStore;
const clock = fixedClock('2026-12-05T12:00:00Z');
const events = createEventBus({ clock, onListenerError: (error) => assert.fail(error as Error) });

before(async () => {
  store = await openIsolatedStore();
});
after(() => store?.close());

const bankApis = (upstream: string) => ({
  apis: [{
    name: 'ob-accounts', version: 'v3.1.11', basePath: '/open-banking/v3.1/aisp', authKind: 'fapi', lifecycle: 'published',
    upstreams: [{ url: upstream, weight: 100 }],
    routes: [{ method: 'GET', pathTemplate: '/accounts', policy: { scopes: ['accounts'] } }],
  }],
});

test(`the bank's APIs are added, brought up to date, and nothing else is touched (${storeKind})`, async () => {
  const { logger, lines } = capturedLogger();
  const context = { db: store.db, events, clock, logger };
  const operators = await createApi({ db: store.db, events, clock, actor: 'ops' }, {
    name: 'clinics', version: 'v1', basePath: '/clinics/v1', authKind: 'api-key', upstreams: [{ url: 'https://clinics.internal', weight: 100 }],
    routes: [{ method: 'GET', pathTemplate: '/clinics/{clinicId}' }],
  });

  await applyBankApis(context, bankApis('http://127.0.0.1:4001'));
  await applyBankApis(context, bankApis('http://127.0.0.1:4001'));
  await applyBankApis(context, bankApis('http://127.0.0.1:4002'));

  const { apis } = await loadCatalogue(store.db);
  const accounts = apis.find((api) => api.name === 'ob-accounts')!;
  assert.equal(accounts.lifecycle, 'published');
  assert.deepEqual(accounts.upstreams, [{ url: 'http://127.0.0.1:4002', weight: 100 }]);
  assert.deepEqual(apis.find((api) => api.id === operators.id)?.upstreams, [{ url: 'https://clinics.internal', weight: 100 }], "the operators' API is still there, unchanged");
  const applied = lines.filter((line) => line.msg === 'gateway.bank_apis_applied');
  assert.equal(applied.length, 2, 'the second start changed nothing and said nothing');
});

test(`a document that is no gateway file stops the start, naming the field (${storeKind})`, async () => {
  const { logger } = capturedLogger();
  await assert.rejects(applyBankApis({ db: store.db, events, clock, logger }, { apis: [{ name: 'ob-accounts' }] }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^BANK_INTEGRATION: its gatewayApis are not a valid gateway file: apis\[0\]\.version/);
    return true;
  });
});
