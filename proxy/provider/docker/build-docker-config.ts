/**
 * Containers → one dynamic configuration, as Traefik's Docker provider builds it:
 *
 * 1. A container is taken when `traefik.enable` (or `exposedByDefault`) says so, the
 *    `constraints` match its labels, it runs (or has `traefik.docker.allownonrunning=true`),
 *    and it is healthy or has no health check (with `allowEmptyServices`, an unhealthy one keeps
 *    its objects with no server, so its routers answer 503 instead of 404).
 * 2. Its `traefik.http.*` labels are parsed by the generic flat-key parser. When they name no
 *    service, one is made, named after the container (or `<service>-<project>` for Compose);
 *    when they name no router and there is at most one service, a router of that name is made.
 *    A router without a rule gets `defaultRule`; without a service, the container's only one.
 * 3. Each load balancer gets the container's address: `loadbalancer.server.port` (else the
 *    lowest exposed port), `.scheme` (http), on the network from `traefik.docker.network` or
 *    `network`, 127.0.0.1 for host networking, or the bound host address with `useBindPortIP`.
 * 4. Containers are merged: the same service from several containers (scaling) gathers their
 *    servers; the same router or middleware must be identical, else it is dropped with an error.
 *
 * A label error leaves out that container's objects only, with an error naming the container
 * and the label.
 */
import { isDeepStrictEqual } from 'node:util';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import type { ConstraintMatcher } from '../constraints/compile-constraints.js';
import { labelEntries } from '../flat-config/label-entries.js';
import { type FlatHttpTree, parseFlatConfig } from '../flat-config/parse-flat-config.js';
import type { ContainerInfo } from './container-info.js';
import type { DefaultRule } from './default-rule.js';
import { normalizeName } from './normalize-name.js';

export interface DockerBuildOptions {
  exposedByDefault: boolean;
  constraints: ConstraintMatcher;
  network?: string | undefined;
  useBindPortIP: boolean;
  allowEmptyServices: boolean;
  defaultRule: DefaultRule;
}

export interface DockerBuildResult {
  config: { http: Record<string, Record<string, unknown>> };
  errors: AffineurError[];
}

const serverLabel = /^traefik\.http\.services\.([^.]+)\.loadbalancer\.server\.([a-z]+)$/i;

export function buildDockerConfig(
  containers: readonly ContainerInfo[],
  options: DockerBuildOptions,
): DockerBuildResult {
  const errors: AffineurError[] = [];
  const perContainer: { name: string; http: Record<string, Record<string, unknown>> }[] = [];
  for (const container of [...containers].sort((a, b) => a.name.localeCompare(b.name))) {
    const where = `container "${container.name}"`;
    const fail = (message: string, label: string | undefined, hint: string) =>
      errors.push(
        new AffineurError('AFF_ERR_PROVIDER_FLAT_KEY', message, {
          keyPath: label ? `label ${label} (from ${where})` : where,
          hint: `${hint} The container's routers and services are left out until then.`,
        }),
      );
    const settings = readSettings(container.labels);
    if ('problem' in settings) {
      fail(settings.problem, settings.label, 'Write true or false.');
      continue;
    }
    if (!(settings.enable ?? options.exposedByDefault)) continue;
    if (!options.constraints(container.labels)) continue;
    const running = container.state === 'running';
    if (!running && !settings.allowNonRunning) continue;
    const healthy = container.health === '' || container.health === 'healthy';
    if (!healthy && !options.allowEmptyServices) continue;

    const serviceName = serviceNameOf(container);
    const { labels, server } = splitServerLabels(container.labels);
    const addressProblems: AffineurError[] = [];
    const result = parseFlatConfig(labelEntries(labels), {
      source: where,
      noun: 'label',
      spell: (path) => `traefik.${path.join('.')}`,
      complete: (http) => {
        // A service named only by its server.* labels exists all the same.
        http.services ??= {};
        for (const [key, labels] of server) {
          const known = Object.keys(http.services).some((name) => name.toLowerCase() === key);
          if (!known) http.services[labels.name as string] = { loadBalancer: {} };
        }
        completeContainer(http, serviceName, container, options.defaultRule);
        if (running && healthy) {
          for (const [name, service] of Object.entries(http.services ?? {})) {
            const problem = addServer(
              service,
              server.get(name.toLowerCase()) ?? {},
              container,
              settings.network ?? options.network,
              options.useBindPortIP,
            );
            if (problem) {
              addressProblems.push(
                new AffineurError('AFF_ERR_PROVIDER_FLAT_KEY', problem, {
                  keyPath: `service "${name}" (from ${where})`,
                  hint: `Set the label traefik.http.services.${name}.loadbalancer.server.port. The container's routers and services are left out until then.`,
                }),
              );
            }
          }
        }
        return addressProblems;
      },
    });
    if (result.errors.length > 0) {
      errors.push(...result.errors);
      continue;
    }
    perContainer.push({ name: container.name, http: result.config.http ?? {} });
  }
  return { config: { http: merge(perContainer, errors) }, errors };
}

interface ContainerSettings {
  enable?: boolean;
  allowNonRunning: boolean;
  network?: string;
}

/** `traefik.enable`, `traefik.docker.network`, `traefik.docker.allownonrunning`, any case. */
function readSettings(
  labels: Readonly<Record<string, string>>,
): ContainerSettings | { problem: string; label: string } {
  const settings: ContainerSettings = { allowNonRunning: false };
  for (const [label, value] of Object.entries(labels)) {
    const key = label.toLowerCase();
    if (key === 'traefik.enable' || key === 'traefik.docker.allownonrunning') {
      const flag = /^(true|false)$/i.test(value.trim()) ? value.trim().toLowerCase() === 'true' : undefined;
      if (flag === undefined)
        return { problem: `expected true or false; found ${JSON.stringify(value)}.`, label };
      if (key === 'traefik.enable') settings.enable = flag;
      else settings.allowNonRunning = flag;
    } else if (key === 'traefik.docker.network') {
      settings.network = value;
    }
  }
  return settings;
}

/** Traefik names a container's automatic objects after it, or after its Compose service. */
export function serviceNameOf(container: ContainerInfo): string {
  const service = container.labels['com.docker.compose.service'];
  const project = container.labels['com.docker.compose.project'];
  return normalizeName(
    service !== undefined && project !== undefined ? `${service}_${project}` : container.name,
  );
}

interface ServerLabels {
  /** The service name as the first label spelled it. */
  name?: string;
  port?: string;
  scheme?: string;
  url?: string;
  weight?: string;
  preservePath?: string;
  [other: string]: string | undefined;
}

/**
 * `loadbalancer.server.*` is a Docker-only shorthand for the container's own server: its port
 * and scheme are not options of the dynamic configuration, so they are taken out here.
 */
function splitServerLabels(all: Readonly<Record<string, string>>) {
  const labels: Record<string, string> = {};
  const server = new Map<string, ServerLabels>();
  for (const [label, value] of Object.entries(all)) {
    const match = serverLabel.exec(label);
    if (!match) {
      labels[label] = value;
      continue;
    }
    const [, service, field] = match as unknown as [string, string, string];
    const key = service.toLowerCase();
    const entry = server.get(key) ?? { name: service };
    const option = field.toLowerCase();
    if (option === 'port' || option === 'scheme') entry[option] = value;
    else {
      // url, weight, preservePath: real server options, written as servers[0].
      labels[`traefik.http.services.${service}.loadbalancer.servers[0].${field}`] = value;
      if (option === 'url') entry.url = value;
    }
    server.set(key, entry);
  }
  return { labels, server };
}

function completeContainer(
  http: FlatHttpTree,
  serviceName: string,
  container: ContainerInfo,
  defaultRule: DefaultRule,
) {
  http.services ??= {};
  http.routers ??= {};
  const services = http.services;
  if (Object.keys(services).length === 0) services[serviceName] = { loadBalancer: {} };
  const serviceNames = Object.keys(services);
  if (Object.keys(http.routers).length === 0 && serviceNames.length <= 1) http.routers[serviceName] = {};
  for (const router of Object.values(http.routers)) {
    if (router.rule === undefined) {
      router.rule = defaultRule({
        Name: serviceName,
        ContainerName: container.name,
        Labels: container.labels,
      });
    }
    // With several services, a router must name its own; the schema check then says so.
    if (router.service === undefined && serviceNames.length === 1) router.service = serviceNames[0];
  }
}

/** Puts the container's address into the first server of a load balancer; returns a problem. */
function addServer(
  service: Record<string, unknown>,
  labels: ServerLabels,
  container: ContainerInfo,
  network: string | undefined,
  useBindPortIP: boolean,
): string | undefined {
  const loadBalancer = service.loadBalancer as Record<string, unknown> | undefined;
  if (!loadBalancer) return undefined;
  const servers = (loadBalancer.servers as Record<string, unknown>[] | undefined) ?? [];
  const first = servers[0] ?? {};
  if (first.url === undefined) {
    const internalPort = labels.port ?? lowestPort(container);
    if (!internalPort) return 'the container exposes no port and no label gives one: port is missing.';
    let host = addressOf(container, network);
    let port = internalPort;
    if (useBindPortIP) {
      const binding = bindingOf(container, internalPort);
      if (binding && binding.hostIp !== '' && binding.hostIp !== '0.0.0.0') {
        host = binding.hostIp;
        port = binding.hostPort;
      }
    }
    if (!host) return 'no address could be found for the container (no network).';
    const shown = host.includes(':') ? `[${host}]` : host;
    first.url = `${labels.scheme ?? 'http'}://${shown}:${port}`;
  }
  servers[0] = first;
  loadBalancer.servers = servers;
  return undefined;
}

function lowestPort(container: ContainerInfo): string | undefined {
  const numbers = Object.keys(container.ports)
    .map((port) => Number.parseInt(port, 10))
    .filter((port) => Number.isFinite(port))
    .sort((a, b) => a - b);
  return numbers[0] === undefined ? undefined : String(numbers[0]);
}

function bindingOf(container: ContainerInfo, port: string) {
  for (const [exposed, bindings] of Object.entries(container.ports)) {
    if (exposed.toLowerCase() === `${port}/tcp` || exposed.toLowerCase() === `${port}/udp`)
      return bindings[0];
  }
  return undefined;
}

function addressOf(container: ContainerInfo, network: string | undefined): string | undefined {
  if (network !== undefined && container.networks[network]) return container.networks[network];
  if (container.networkMode === 'host') return '127.0.0.1';
  if (container.networkMode.startsWith('container:')) return container.sharedNetworkAddress;
  return Object.values(container.networks).find((address) => address !== '');
}

/** Containers' objects into one configuration, as Traefik's provider.Merge does. */
function merge(
  containers: readonly { name: string; http: Record<string, Record<string, unknown>> }[],
  errors: AffineurError[],
): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = {};
  const conflicts = new Map<string, Set<string>>();
  const origins = new Map<string, string[]>();
  for (const { name: container, http } of containers) {
    for (const [kind, objects] of Object.entries(http)) {
      merged[kind] ??= {};
      const target = merged[kind];
      for (const [name, object] of Object.entries(objects)) {
        const key = `${kind}/${name}`;
        origins.set(key, [...(origins.get(key) ?? []), container]);
        const existing = target[name];
        if (existing === undefined) {
          target[name] = structuredClone(object);
        } else if (kind === 'services' && mergeableServices(existing, object)) {
          const servers = serversOf(existing);
          for (const server of serversOf(object)) {
            if (!servers.some((s) => s.url === server.url)) servers.push(server);
          }
        } else if (!isDeepStrictEqual(existing, object)) {
          const set = conflicts.get(kind) ?? new Set();
          set.add(name);
          conflicts.set(kind, set);
        }
      }
    }
  }
  for (const [kind, names] of conflicts) {
    for (const name of names) {
      delete merged[kind]?.[name];
      errors.push(
        new AffineurError(
          'AFF_ERR_PROXY_DUPLICATE_OBJECT',
          `defined by several containers with different options.`,
          {
            keyPath: `http.${kind}.${name} (from containers ${(origins.get(`${kind}/${name}`) ?? []).map((c) => `"${c}"`).join(', ')})`,
            hint: 'Give each container the same labels for it, or different names; it is left out until then.',
          },
        ),
      );
    }
  }
  return merged;
}

function serversOf(service: unknown): { url: string }[] {
  const loadBalancer = (service as { loadBalancer: { servers?: { url: string }[] } }).loadBalancer;
  loadBalancer.servers ??= [];
  return loadBalancer.servers;
}

/** Two load balancers that differ only by their servers are one service scaled out. */
function mergeableServices(a: unknown, b: unknown): boolean {
  const lbA = (a as { loadBalancer?: Record<string, unknown> }).loadBalancer;
  const lbB = (b as { loadBalancer?: Record<string, unknown> }).loadBalancer;
  if (!lbA || !lbB || Object.keys(a as object).length !== 1 || Object.keys(b as object).length !== 1)
    return false;
  const { servers: _a, ...restA } = lbA;
  const { servers: _b, ...restB } = lbB;
  return isDeepStrictEqual(restA, restB);
}
