import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Ajv2019 } from 'ajv/dist/2019.js';

import { assertStartableEnvironment, healthPaths, interpolate, readEnvFile, readRepoFile, readYamlDocuments, SAMPLE_SECRETS, SECRET_VARIABLES } from './deploy-files.ts';

/*
 * The Compose files, which Docker cannot run here: checked against the Compose Specification's
 * JSON schema (test/fixtures/compose-spec.json, see test/fixtures/README.md), after Compose's own
 * interpolation from the documented `.env.example`, and for what the schema cannot know: every
 * instance's environment is one Portcullis starts with, the order of starting, the trusted proxy.
 */

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  healthcheck?: { test?: string[]; disable?: boolean };
  networks?: Record<string, { ipv4_address?: string } | null>;
  ports?: string[];
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, { ipam?: { config?: Array<{ subnet: string }> } }>;
}

const ajv = new Ajv2019({ allErrors: true, strict: false });
// The specification's own format for durations (Go's): 10s, 1m30s, 500ms.
// The specification's own formats: Go durations (10s, 1m30s), published and exposed ports
// (`[ip:][host port[-end]:]container port[-end][/protocol]`), subnets in CIDR notation.
ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
ajv.addFormat('ports', /^((\d{1,3}(\.\d{1,3}){3}|\[[\da-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/i);
ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
ajv.addFormat('subnet_ip_address', /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[\da-f:]+\/\d{1,3})$/i);
// The file names its draft as `http://json-schema.org/draft/2019-09/schema#`, which Ajv knows by
// its https id (Ajv2019 is that draft already), and labels its parts with draft-04 `id`s that no
// `$ref` uses (they point by `#/definitions/…`) and that Ajv refuses: both are left out.
function withoutIds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutIds);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema').map(([key, value]) => [key, withoutIds(value)]));
}
const validateCompose = ajv.compile(withoutIds(JSON.parse(readRepoFile('test/fixtures/compose-spec.json'))) as object);

function readCompose(path: string, variables: ReadonlyMap<string, string>): { file: ComposeFile; names: Set<string> } {
  const { text, names } = interpolate(readRepoFile(path), variables);
  const [file] = readYamlDocuments(path, text);
  const valid = validateCompose(file);
  assert.ok(valid, `${path} against the Compose Specification: ${ajv.errorsText(validateCompose.errors, { separator: '\n' })}`);
  return { file: file as ComposeFile, names };
}

/** The services that run Portcullis: built from this repository. */
function instances(file: ComposeFile): Array<[string, ComposeService]> {
  return Object.entries(file.services).filter(([, service]) => service.build !== undefined);
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Compose resolves a build context and a bind mount's host path against the file's own folder. */
function assertPathsExist(composePath: string, services: Record<string, ComposeService & { volumes?: string[] }>): void {
  const folder = dirname(join(REPO, composePath));
  for (const [name, service] of Object.entries(services)) {
    const build = service.build;
    const context = typeof build === 'string' ? build : (build as { context?: string } | undefined)?.context;
    if (context) assert.ok(existsSync(join(folder, context, 'Dockerfile')), `${name}: its build context ${context} holds the Dockerfile`);
    for (const volume of service.volumes ?? []) {
      const [source] = volume.split(':');
      if (source!.startsWith('.')) assert.ok(existsSync(join(folder, source!)), `${name}: ${source} exists beside ${composePath}`);
    }
  }
}

function environmentOf(name: string, service: ComposeService): Record<string, string> {
  assert.ok(service.environment && !Array.isArray(service.environment), `${name}: environment is a mapping`);
  return Object.fromEntries(Object.entries(service.environment).map(([key, value]) => [key, String(value)]));
}

describe('the Compose Specification schema', () => {
  it('refuses what Compose refuses: an unknown key, a wrong condition, a bad port or duration', () => {
    const service = { image: 'x', depends_on: { db: { condition: 'service_healthy' } }, ports: ['127.0.0.1:8446:8446'], healthcheck: { interval: '5s' } };
    assert.ok(validateCompose({ services: { app: service } }), ajv.errorsText(validateCompose.errors));
    for (const wrong of [{ helthcheck: {} }, { depends_on: { db: { condition: 'healthy' } } }, { ports: ['8446:'] }, { healthcheck: { interval: 'five seconds' } }]) {
      assert.equal(validateCompose({ services: { app: { ...service, ...wrong } } }), false, JSON.stringify(wrong));
    }
  });
});

describe('deploy/compose/quick-start.yml (one container, no secrets)', () => {
  const { file } = readCompose('deploy/compose/quick-start.yml', new Map());

  it('runs every role in one instance that starts as it is written', () => {
    const [[name, service], ...others] = instances(file);
    assert.equal(others.length, 0);
    const config = assertStartableEnvironment(name, environmentOf(name, service));
    assert.deepEqual([...config.roles].sort(), ['auth', 'console', 'gateway', 'portal']);
    assert.ok(healthPaths().has(/\/(readyz|healthz)/.exec(service.healthcheck!.test!.join(' '))![0]), 'its healthcheck asks a health path');
  });

  it('builds from the repository and mounts only what exists', () => {
    assertPathsExist('deploy/compose/quick-start.yml', file.services);
  });
});

describe('docker-compose.yml (the multi-instance shape, production mode)', () => {
  const example = readEnvFile('.env.example');
  // The operator's .env: the example, with the secrets it leaves empty filled in.
  const variables = new Map([...example].map(([name, value]) => [name, value || SAMPLE_SECRETS.get(name) || '']));
  const { file, names } = readCompose('docker-compose.yml', variables);
  const services = file.services;

  it('documents in .env.example every variable it reads, and commits no secret there', () => {
    assert.deepEqual([...names].filter((name) => !example.has(name)), []);
    for (const name of [...SECRET_VARIABLES, 'POSTGRES_PASSWORD', 'REDIS_PASSWORD']) {
      if (example.has(name)) assert.equal(example.get(name), '', `${name} is left empty`);
    }
    assert.ok(!readRepoFile('docker-compose.yml').match(/(KEY_ENCRYPTION_KEY|COOKIE_KEYS|DPOP_NONCE_SECRET|ADMIN_TOKEN|PASSWORD): [^$\n]/), 'secrets only from the environment');
  });

  it('refuses to start without the secrets', () => {
    assert.throws(() => interpolate(readRepoFile('docker-compose.yml'), example), /is not set/);
  });

  it('runs one auth, two gateways and one portal with the console, each starting in production as written', () => {
    const replicas = new Map<string, number>();
    for (const [name, service] of instances(file)) {
      const config = assertStartableEnvironment(name, environmentOf(name, service));
      assert.equal(config.env, 'production');
      for (const role of config.roles) replicas.set(role, (replicas.get(role) ?? 0) + (service.deploy?.replicas ?? 1));
    }
    assert.deepEqual(Object.fromEntries(replicas), { auth: 1, gateway: 2, portal: 1, console: 1 });
    assert.deepEqual(Object.keys(services).sort(), ['auth', 'edge', 'gateway', 'portal', 'postgres', 'redis']);
  });

  it('starts auth first (migrations, signing keys), the others once it is ready, the load balancer last', () => {
    const conditions = (name: string) => Object.fromEntries(Object.entries(services[name].depends_on ?? {}).map(([on, { condition }]) => [on, condition]));
    assert.deepEqual(conditions('auth'), { postgres: 'service_healthy', redis: 'service_healthy' });
    assert.deepEqual(conditions('gateway'), { auth: 'service_healthy' });
    assert.deepEqual(conditions('portal'), { auth: 'service_healthy' });
    assert.deepEqual(conditions('edge'), { auth: 'service_healthy', gateway: 'service_healthy', portal: 'service_healthy' });
    // What service_healthy waits on: their own healthcheck, or the image's HEALTHCHECK for instances.
    for (const name of ['postgres', 'redis']) assert.ok(services[name].healthcheck?.test, `${name} has a healthcheck`);
    for (const [name, service] of instances(file)) assert.equal(service.healthcheck, undefined, `${name} keeps the image's HEALTHCHECK (Dockerfile)`);
  });

  it('trusts the load balancer, and only it, for forwarding headers and the client certificate', () => {
    const edge = services['edge'];
    const networks = Object.entries(edge.networks ?? {});
    assert.equal(networks.length, 1, 'the load balancer is on one network: every connection it makes comes from one address');
    const [[network, attachment]] = networks;
    const address = attachment!.ipv4_address!;
    const [{ subnet }] = file.networks![network].ipam!.config!;
    assert.ok(address.startsWith(subnet.split('.').slice(0, 3).join('.') + '.'), `${address} is in ${subnet}`);
    for (const [name, service] of instances(file)) {
      const environment = environmentOf(name, service);
      assert.equal(environment['TRUSTED_PROXIES'], address, name);
      assert.equal(environment['CLIENT_CERT_HEADER'], 'client-cert', name);
    }
  });

  it('mounts the nginx configuration where it reads it, and publishes only the load balancer and the admin API on loopback', () => {
    assert.ok(services['edge'].volumes!.includes('./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro'));
    assert.ok(services['edge'].volumes!.includes('./deploy/nginx/client-cert.js:/etc/nginx/client-cert.js:ro'));
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => `${name} ${port}`));
    assert.deepEqual(published.sort(), ['edge 443:8443', 'edge 8444:8444', 'edge 8445:8445', 'portal 127.0.0.1:8446:8446']);
    assertPathsExist('docker-compose.yml', services);
  });
});
