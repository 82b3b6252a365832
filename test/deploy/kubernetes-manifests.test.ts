import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';

import { assertStartableEnvironment, healthPaths, opensListener, readYamlDocuments, SAMPLE_SECRETS, SECRET_VARIABLES } from './deploy-files.ts';
import { forwardedHeaders, only, parseNginxConfig, serversByPort } from './nginx-config.ts';

/*
 * The Kubernetes manifests (deploy/kubernetes/), which no cluster applies here: each object is
 * checked against the Kubernetes OpenAPI schema of its kind (the `kubernetes-models` package's
 * validators), then for what the schema cannot know: the environment each instance starts with,
 * probes on paths and listeners its roles serve, the gateway's floor of two, secrets only by
 * reference, non-root containers with resources, Services and budgets that select real pods.
 */

interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
}

const MODELS: Record<string, (object: never) => { validate(): void }> = {
  'v1/ConfigMap': (object) => new ConfigMap(object),
  'v1/Service': (object) => new Service(object),
  'apps/v1/Deployment': (object) => new Deployment(object),
  'autoscaling/v2/HorizontalPodAutoscaler': (object) => new HorizontalPodAutoscaler(object),
  'policy/v1/PodDisruptionBudget': (object) => new PodDisruptionBudget(object),
  'networking.k8s.io/v1/NetworkPolicy': (object) => new NetworkPolicy(object),
};

const directory = 'deploy/kubernetes/';
const objects = readdirSync(new URL(`../../${directory}`, import.meta.url)).filter((name) => name.endsWith('.yaml')).sort()
  .flatMap((name) => readYamlDocuments(`${directory}${name}`).map((object) => ({ file: name, object: object as KubernetesObject })));

function ofKind<T>(kind: string): T[] {
  return objects.filter(({ object }) => object.kind === kind).map(({ object }) => object as T);
}
function named<T>(kind: string, name: string): T {
  const found = ofKind<KubernetesObject>(kind).filter((object) => object.metadata.name === name);
  assert.equal(found.length, 1, `one ${kind} ${name}`);
  return found[0] as T;
}

const deployments = ofKind<IDeployment>('Deployment');
const config = named<{ data: Record<string, string> }>('ConfigMap', 'portcullis-config').data;
const portcullisContainers = deployments.flatMap((deployment) => deployment.spec!.template.spec!.containers
  .filter((container) => container.name === 'portcullis').map((container) => ({ deployment, container })));
function rolesOf(deployment: IDeployment): string {
  const container = deployment.spec!.template.spec!.containers.find(({ name }) => name === 'portcullis')!;
  return container.env!.find(({ name }) => name === 'ROLES')!.value!;
}

describe('Kubernetes manifests', () => {
  it('are each valid against the Kubernetes schema of their kind', () => {
    assert.ok(objects.length > 0);
    for (const { file, object } of objects) {
      const model = MODELS[`${object.apiVersion}/${object.kind}`];
      assert.ok(model, `${file}: ${object.apiVersion} ${object.kind} is a kind this test knows`);
      assert.doesNotThrow(() => model(object as never).validate(), `${file}: ${object.kind} ${object.metadata.name}`);
    }
  });

  it('the schema check can fail: a Deployment with a string for replicas and no containers is refused', () => {
    assert.throws(() => new Deployment({ metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: { spec: {} } } } as never).validate(), /replicas must be integer/);
  });

  it('start each instance with an environment Portcullis reads and accepts, secrets by reference only', () => {
    assert.deepEqual(ofKind('Secret'), [], 'no Secret is committed: operators create them');
    for (const secret of SECRET_VARIABLES) assert.equal(config[secret], undefined, `${secret} is not in the ConfigMap`);
    assert.ok(portcullisContainers.length >= 3);
    for (const { deployment, container } of portcullisContainers) {
      assert.deepEqual(container.envFrom, [{ configMapRef: { name: 'portcullis-config' } }]);
      const environment: Record<string, string> = { ...config };
      for (const variable of container.env!) {
        if (variable.valueFrom) {
          assert.ok((SECRET_VARIABLES as readonly string[]).includes(variable.name), `${variable.name} comes from a Secret only if it is one`);
          assert.deepEqual(variable.valueFrom, { secretKeyRef: { name: 'portcullis-secrets', key: variable.name } });
          environment[variable.name] = SAMPLE_SECRETS.get(variable.name)!;
        } else {
          assert.ok(!(SECRET_VARIABLES as readonly string[]).includes(variable.name), `${variable.name} is never a literal`);
          environment[variable.name] = variable.value!;
        }
      }
      const loaded = assertStartableEnvironment(deployment.metadata!.name!, environment);
      assert.equal(loaded.env, 'production');
      // The pod's gate hands the edge's traffic on over loopback: the one proxy an instance trusts.
      assert.deepEqual(loaded.proxy, { trusted: ['127.0.0.1'], clientCertHeader: 'client-cert' });
    }
    const roles = new Set(portcullisContainers.flatMap(({ deployment }) => rolesOf(deployment).split(',')));
    assert.deepEqual([...roles].sort(), ['auth', 'console', 'gateway', 'portal']);
  });

  it('probe each instance on its health paths, on a listener its roles open', () => {
    const paths = healthPaths();
    for (const { deployment, container } of portcullisContainers) {
      const roles = rolesOf(deployment);
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
        const check = container[probe]?.httpGet;
        assert.ok(check, `${deployment.metadata!.name} ${probe}`);
        assert.ok(paths.has(check.path!), `${check.path} is a health path`);
        assert.equal(check.scheme, 'HTTPS');
        assert.ok(opensListener(roles, Number(check.port)), `${roles} opens ${check.port}`);
      }
      assert.equal(container.readinessProbe!.httpGet!.path, '/readyz', 'out of the Service while the store is down');
      assert.equal(container.livenessProbe!.httpGet!.path, '/healthz', 'never restarted for a store outage');
    }
  });

  it('run every container as non-root, read-only, without privileges, within requested resources', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec!.template.spec!;
      assert.equal(pod.securityContext?.runAsNonRoot, true, deployment.metadata!.name);
      for (const container of pod.containers) {
        const where = `${deployment.metadata!.name}/${container.name}`;
        assert.ok((container.securityContext?.runAsUser ?? 0) > 0, `${where} runs as a user other than root`);
        assert.equal(container.securityContext?.allowPrivilegeEscalation, false, where);
        assert.equal(container.securityContext?.readOnlyRootFilesystem, true, where);
        assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL'], where);
        for (const bound of ['requests', 'limits'] as const) {
          assert.ok(container.resources?.[bound]?.['cpu'] && container.resources[bound]['memory'], `${where} ${bound} cpu and memory`);
        }
      }
    }
  });

  it('keep at least two gateways, scaled on load, at least one through a disruption', () => {
    const gateway = named<IDeployment>('Deployment', 'gateway');
    assert.equal(rolesOf(gateway), 'gateway');
    assert.equal(gateway.spec!.replicas, undefined, 'the autoscaler owns the count');
    const autoscaler = named<{ spec: { scaleTargetRef: object; minReplicas: number; maxReplicas: number } }>('HorizontalPodAutoscaler', 'gateway').spec;
    assert.deepEqual(autoscaler.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' });
    assert.ok(autoscaler.minReplicas >= 2 && autoscaler.maxReplicas > autoscaler.minReplicas);
    const budget = named<{ spec: { minAvailable: number; selector: { matchLabels: object } } }>('PodDisruptionBudget', 'gateway').spec;
    assert.deepEqual(budget.selector.matchLabels, gateway.spec!.template.metadata!.labels);
    assert.ok(budget.minAvailable >= 1 && budget.minAvailable < autoscaler.minReplicas);
  });

  it('have Services that select pods and name ports their containers have', () => {
    for (const service of ofKind<{ metadata: { name: string }; spec: { selector: Record<string, string>; ports: Array<{ targetPort: string }> } }>('Service')) {
      const targets = deployments.filter((deployment) => Object.entries(service.spec.selector).every(([key, value]) => deployment.spec!.template.metadata!.labels![key] === value));
      assert.equal(targets.length, 1, `Service ${service.metadata.name} selects one Deployment`);
      const ports = new Set(targets[0].spec!.template.spec!.containers.flatMap((container) => (container.ports ?? []).map(({ name }) => name)));
      for (const { targetPort } of service.spec.ports) assert.ok(ports.has(targetPort), `${service.metadata.name}: ${targetPort}`);
    }
  });

  it("pass the edge's client certificate and address through each pod's gate, from the pod network only", () => {
    const gate = parseNginxConfig(named<{ data: Record<string, string> }>('ConfigMap', 'portcullis-gate').data['nginx.conf']);
    const headers = forwardedHeaders(gate);
    assert.equal(headers.get('client-cert'), '$edge_client_cert');
    assert.equal(headers.get('x-forwarded-for'), '$edge_client_address');
    for (const stripped of ['client-cert-chain', 'forwarded', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port']) assert.equal(headers.get(stripped), '', stripped);
    const http = only(gate, 'http').block!;
    const maps = new Map(http.filter(({ name }) => name === 'map').map(({ args, block }) => [args[1], new Map(block!.map(({ name, args: [value] }) => [name, value]))]));
    assert.deepEqual(maps.get('$edge_client_cert'), new Map([['1', '$http_client_cert'], ['default', '']]));
    assert.deepEqual(maps.get('$edge_client_address'), new Map([['1', '$http_x_forwarded_for'], ['default', '$remote_addr']]));
    const geo = http.find(({ name }) => name === 'geo')!;
    assert.deepEqual(geo.args, ['$remote_addr', '$from_edge']);
    assert.equal(geo.block!.find(({ name }) => name === 'default')!.args[0], '0', 'nobody is the edge by default');
    // Each gate port hands on to the same listener of the instance, over loopback.
    const upstreams = new Map(http.filter(({ name }) => name === 'upstream').map(({ args, block }) => [args[0], only(block!, 'server').args[0]]));
    for (const [port, server] of serversByPort(gate)) {
      const target = only(only(server, 'location').block!, 'proxy_pass').args[0].replace('https://', '');
      assert.equal(upstreams.get(target), `127.0.0.1:${port - 1000}`);
    }
  });

  it('let only the edge reach the gates', () => {
    const policy = named<{ spec: { ingress: Array<{ from: Array<{ podSelector: { matchLabels: Record<string, string> } }>; ports: Array<{ port: number }> }> } }>('NetworkPolicy', 'portcullis-instances').spec;
    const gatePorts = policy.ingress.filter(({ ports }) => ports.some(({ port }) => port >= 9443 && port <= 9445));
    assert.equal(gatePorts.length, 1);
    assert.deepEqual(gatePorts[0].from, [{ podSelector: { matchLabels: named<IDeployment>('Deployment', 'edge').spec!.template.metadata!.labels } }]);
  });
});
