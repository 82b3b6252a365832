import { generateKeyPairSync } from 'node:crypto';

import { signCallerIdentity } from '../../src/gateway/upstream/caller-identity.ts';
import { systemClock } from '../../src/shared/clock.ts';

/*
 * What signing the caller identity costs the gateway per call, for each algorithm it may use:
 * `node bench/caller-identity/run.ts [calls]` prints microseconds per signature and signatures per
 * second on one core, after a warm-up.
 */

const calls = Number(process.argv[2] ?? 20_000);
const identity = { clientId: 'partner-1', applicationId: 'app-1', consentId: 'aac-1', accountIds: ['22289', '31820'], scopes: ['accounts'], apiId: 'api-ob-aisp', routeId: 'route-accounts' };

for (const alg of ['ES256', 'PS256'] as const) {
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const options = { key: privateKey, kid: 'bench', alg, issuer: 'https://gateway.example', audience: 'http://bank.internal:8080', ttlSeconds: 60, clock: systemClock };
  for (let i = 0; i < 1000; i++) signCallerIdentity({ ...identity, routeId: `warm-${i}` }, options);
  const started = process.hrtime.bigint();
  // Another route each time: the same claims would reuse their token, and this measures signing.
  for (let i = 0; i < calls; i++) signCallerIdentity({ ...identity, routeId: `route-${i}` }, options);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / calls;
  console.log(`${alg}: ${micros.toFixed(1)} µs per signature, ${Math.round(1_000_000 / micros)} per second on one core`);
}
