import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service, type IService } from 'kubernetes-models/v1/Service';

import { assertStartableEnvironment, healthPaths, LISTENERS, opensListener, readYamlDocuments, SAMPLE_SECRETS, SECRET_VARIABLES } from './deploy-files.ts';

/*
 * The Kubernetes manifests (deploy/kubernetes/), which no cluster applies here: each object is
 * checked against the Kubernetes OpenAPI schema of its kind (the `kubernetes-models` package's
 * validators), then for what the schema cannot know: the environment each instance starts with,
 * probes on paths and listeners its roles serve, the gateway's floor of two, secrets only by
 * reference, non-root containers with resources, Services and budgets that select real pods, and
 * the trust in the edge: the instances believe its forwarding headers by its pods' address range,
 * so nothing else may reach the listeners it forwards to.
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
      // The edge's pods get new addresses as they come and go: they are trusted by their range.
      assert.equal(loaded.proxy.clientCertHeader, 'client-cert');
      assert.ok(loaded.proxy.trusted.length > 0, 'the edge is trusted');
      for (const { network, prefix, family } of loaded.proxy.trusted) assert.ok(prefix < (family === 'ipv4' ? 32 : 128), `${network}/${prefix} is a range`);
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

  it('give each instance time to drain: out of the endpoints before its listeners close, and killed only after its requests and flushes', () => {
    const secrets = Object.fromEntries(SECRET_VARIABLES.map((name) => [name, SAMPLE_SECRETS.get(name)!]));
    for (const { deployment } of portcullisContainers) {
      const name = deployment.metadata!.name!;
      const drain = assertStartableEnvironment(name, { ...config, ...secrets, ROLES: rolesOf(deployment) }).shutdown;
      // Endpoints drop a terminating pod at once, but proxies and the edge learn it a few seconds later.
      assert.ok(drain.delay >= 5, `${name}: SHUTDOWN_DELAY ${drain.delay} s covers the endpoints' propagation`);
      const grace = deployment.spec!.template.spec!.terminationGracePeriodSeconds!;
      assert.ok(grace >= drain.delay + drain.timeout + 5, `${name}: ${grace} s of grace for ${drain.delay} s + ${drain.timeout} s + the flushes`);
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

  it("reach each instance's own listeners, with no sidecar in front of them", () => {
    for (const { deployment, container } of portcullisContainers) {
      const name = deployment.metadata!.name!;
      assert.deepEqual(deployment.spec!.template.spec!.containers.map((each) => each.name), ['portcullis'], `${name} runs Portcullis alone`);
      const service = named<IService>('Service', name);
      for (const port of service.spec!.ports!) {
        const target = container.ports!.find((each) => each.name === port.targetPort);
        assert.ok(target, `Service ${name}: ${port.targetPort} is a port of the instance`);
        assert.equal(target.containerPort, port.port, `Service ${name}: ${port.name} goes to the listener of the same port`);
        assert.equal(LISTENERS.get(target.containerPort)?.name, port.name, `Service ${name}: ${port.name} is that listener's name`);
        assert.ok(opensListener(rolesOf(deployment), target.containerPort), `${rolesOf(deployment)} opens ${target.containerPort}`);
      }
    }
  });

  it('let only the edge reach the listeners it forwards to, on every Portcullis pod', () => {
    const policy = named<{ spec: { podSelector: { matchExpressions: Array<{ key: string; operator: string; values: string[] }> }; ingress: Array<{ from: Array<{ podSelector: { matchLabels: Record<string, string> } }>; ports: Array<{ port: number }> }> } }>('NetworkPolicy', 'portcullis-instances').spec;
    // Every pod that trusts the pod network is one the policy guards: without it, any pod could pass a certificate.
    const [selector] = policy.podSelector.matchExpressions;
    assert.deepEqual([selector.key, selector.operator], ['app.kubernetes.io/component', 'In']);
    for (const { deployment } of portcullisContainers) {
      assert.ok(selector.values.includes(deployment.spec!.template.metadata!.labels!['app.kubernetes.io/component']), `${deployment.metadata!.name} is guarded`);
    }
    // The listeners behind the Services' ports but the admin one: the edge's, whose headers are believed.
    const forwarded = [...new Set(ofKind<IService>('Service').filter((service) => service.metadata!.name !== 'edge')
      .flatMap((service) => service.spec!.ports!.filter((port) => port.name !== 'admin').map((port) => port.port)))].sort((a, b) => a - b);
    assert.deepEqual(forwarded, [8443, 8444, 8445]);
    const rules = policy.ingress.filter(({ ports }) => ports.some(({ port }) => forwarded.includes(port)));
    assert.equal(rules.length, 1, 'one rule admits anyone to those listeners');
    assert.deepEqual(rules[0].from, [{ podSelector: { matchLabels: named<IDeployment>('Deployment', 'edge').spec!.template.metadata!.labels } }]);
    assert.deepEqual(rules[0].ports.map(({ port }) => port).sort((a, b) => a - b), forwarded);
    assert.ok(policy.ingress.every((rule) => rule.from.length > 0), 'no rule admits every source');
  });
});
