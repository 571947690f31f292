import { describe, expect, it } from 'vitest';
import { compileConstraints } from '../../../../proxy/provider/constraints/compile-constraints.js';
import {
  buildDockerConfig,
  type DockerBuildOptions,
} from '../../../../proxy/provider/docker/build-docker-config.js';
import type { ContainerInfo } from '../../../../proxy/provider/docker/container-info.js';
import { makeDefaultRule } from '../../../../proxy/provider/docker/default-rule.js';
import { defaultDockerRule } from '../../../../proxy/provider/docker/docker-options-schema.js';
import { normalizeName } from '../../../../proxy/provider/docker/normalize-name.js';

const options = (overrides: Partial<DockerBuildOptions> = {}): DockerBuildOptions => ({
  exposedByDefault: true,
  constraints: () => true,
  useBindPortIP: false,
  allowEmptyServices: false,
  defaultRule: makeDefaultRule(defaultDockerRule),
  ...overrides,
});

let counter = 0;
const container = (overrides: Partial<ContainerInfo> = {}): ContainerInfo => ({
  id: `id${counter++}`,
  name: 'web',
  labels: {},
  state: 'running',
  health: '',
  networkMode: 'bridge',
  networks: { bridge: '172.17.0.2' },
  ports: { '80/tcp': [] },
  ...overrides,
});

describe('Docker containers to routing configuration', () => {
  it('makes the automatic service and router, named after the container, with the default rule', () => {
    const { config, errors } = buildDockerConfig(
      [container({ name: 'my_app.1', ports: { '8080/tcp': [], '80/tcp': [] } })],
      options(),
    );
    expect(errors).toEqual([]);
    expect(config.http.routers).toEqual({ 'my-app-1': { rule: 'Host(`my-app-1`)', service: 'my-app-1' } });
    expect(config.http.services).toEqual({
      'my-app-1': { loadBalancer: { servers: [{ url: 'http://172.17.0.2:80' }] } },
    });
  });

  it('names Compose containers <service>-<project> and scales them into one service', () => {
    const compose = { 'com.docker.compose.service': 'whoami', 'com.docker.compose.project': 'demo' };
    const { config } = buildDockerConfig(
      [
        container({ name: 'demo-whoami-1', labels: compose, networks: { demo_default: '10.0.0.2' } }),
        container({ name: 'demo-whoami-2', labels: compose, networks: { demo_default: '10.0.0.3' } }),
      ],
      options(),
    );
    expect(config.http.routers).toEqual({
      'whoami-demo': { rule: 'Host(`whoami-demo`)', service: 'whoami-demo' },
    });
    expect(config.http.services?.['whoami-demo']).toEqual({
      loadBalancer: { servers: [{ url: 'http://10.0.0.2:80' }, { url: 'http://10.0.0.3:80' }] },
    });
  });

  it('reads server port and scheme labels, host networking and traefik.docker.network', () => {
    const { config } = buildDockerConfig(
      [
        container({
          name: 'a',
          networkMode: 'host',
          networks: { host: '' },
          labels: {
            'traefik.http.services.a.loadbalancer.server.port': '9000',
            'traefik.http.services.a.loadbalancer.server.scheme': 'https',
          },
        }),
        container({
          name: 'b',
          networks: { front: '10.1.0.2', back: '10.2.0.2' },
          labels: { 'traefik.docker.network': 'back' },
        }),
      ],
      options(),
    );
    expect(config.http.services).toEqual({
      a: { loadBalancer: { servers: [{ url: 'https://127.0.0.1:9000' }] } },
      b: { loadBalancer: { servers: [{ url: 'http://10.2.0.2:80' }] } },
    });
  });

  it('uses the bound host address with useBindPortIP', () => {
    const { config } = buildDockerConfig(
      [container({ ports: { '80/tcp': [{ hostIp: '192.0.2.10', hostPort: '8081' }] } })],
      options({ useBindPortIP: true }),
    );
    expect(config.http.services?.web).toEqual({
      loadBalancer: { servers: [{ url: 'http://192.0.2.10:8081' }] },
    });
  });

  it('honours traefik.enable, exposedByDefault, constraints and running state', () => {
    const constraints = compileConstraints('Label(`tier`, `front`)', 'providers.docker.constraints');
    const all = [
      container({ name: 'on', labels: { 'traefik.enable': 'TRUE', tier: 'front' } }),
      container({ name: 'off', labels: { 'traefik.enable': 'false', tier: 'front' } }),
      container({ name: 'plain', labels: { tier: 'front' } }),
      container({ name: 'other', labels: { 'traefik.enable': 'true', tier: 'back' } }),
      container({ name: 'stopped', state: 'exited', labels: { 'traefik.enable': 'true', tier: 'front' } }),
      container({ name: 'paused', state: 'paused', labels: { 'traefik.enable': 'true', tier: 'front' } }),
      container({
        name: 'kept',
        state: 'exited',
        labels: { 'traefik.enable': 'true', tier: 'front', 'traefik.docker.allownonrunning': 'true' },
      }),
    ];
    const { config } = buildDockerConfig(all, options({ exposedByDefault: false, constraints }));
    expect(Object.keys(config.http.routers ?? {}).sort()).toEqual(['kept', 'on']);
    expect(config.http.services?.kept).toEqual({ loadBalancer: {} });
  });

  it('leaves unhealthy or starting containers out, or keeps them empty with allowEmptyServices', () => {
    const all = [
      container({ name: 'sick', health: 'unhealthy' }),
      container({ name: 'new', health: 'starting' }),
      container({ name: 'ok', health: 'healthy' }),
    ];
    expect(Object.keys(buildDockerConfig(all, options()).config.http.services ?? {})).toEqual(['ok']);
    const kept = buildDockerConfig(all, options({ allowEmptyServices: true })).config.http.services;
    expect(kept?.sick).toEqual({ loadBalancer: {} });
    expect(kept?.ok).toEqual({ loadBalancer: { servers: [{ url: 'http://172.17.0.2:80' }] } });
  });

  it('leaves out only the container whose label is wrong, naming container and label', () => {
    const { config, errors } = buildDockerConfig(
      [
        container({ name: 'good', labels: { 'traefik.http.routers.g.rule': 'Host(`g.test`)' } }),
        container({
          name: 'bad',
          labels: {
            'traefik.http.routers.b.rule': 'Host(`b.test`)',
            'traefik.http.routers.b.entrypionts': 'web',
          },
        }),
        container({ name: 'worse', labels: { 'traefik.enable': 'yes' } }),
        container({ name: 'portless', ports: {} }),
      ],
      options(),
    );
    expect(Object.keys(config.http.routers ?? {})).toEqual(['g']);
    const messages = errors.map((e) => e.message).join('\n');
    expect(messages).toContain('label traefik.http.routers.b.entrypionts (from container "bad")');
    expect(messages).toContain('Did you mean "entryPoints"?');
    expect(messages).toContain('label traefik.enable (from container "worse")');
    expect(messages).toContain('service "portless" (from container "portless")');
  });

  it('drops a router two containers define differently, and says which containers', () => {
    const { config, errors } = buildDockerConfig(
      [
        container({
          name: 'x',
          labels: { 'traefik.http.routers.r.rule': 'Host(`a`)', 'traefik.http.routers.r.service': 'x' },
        }),
        container({
          name: 'y',
          labels: { 'traefik.http.routers.r.rule': 'Host(`b`)', 'traefik.http.routers.r.service': 'y' },
        }),
      ],
      options(),
    );
    expect(config.http.routers).toEqual({});
    expect(errors[0]?.message).toContain('http.routers.r (from containers "x", "y")');
  });

  it('renders a custom defaultRule with the Go template engine and normalize', () => {
    const rule = makeDefaultRule('Host(`{{ normalize .Name }}.{{ index .Labels "zone" }}.example.com`)');
    const { config } = buildDockerConfig(
      [container({ name: 'api_v2', labels: { zone: 'eu' } })],
      options({ defaultRule: rule }),
    );
    expect(config.http.routers?.['api-v2']).toEqual({
      rule: 'Host(`api-v2.eu.example.com`)',
      service: 'api-v2',
    });
    expect(() => makeDefaultRule('Host(`{{ .Name `)')).toThrow(/providers\.docker\.defaultRule/);
  });

  it('normalizes names as Traefik does', () => {
    expect(normalizeName('/my_app.1')).toBe('my-app-1');
    expect(normalizeName('--a__b--')).toBe('a-b');
    expect(normalizeName('café-1')).toBe('café-1');
  });
});

describe('Docker server labels', () => {
  it('a service named only by loadbalancer.server labels is that service, not an automatic one', () => {
    const { config, errors } = buildDockerConfig(
      [
        container({
          name: 'w',
          ports: {},
          labels: { 'traefik.http.services.API.loadbalancer.server.port': '8080' },
        }),
      ],
      options(),
    );
    expect(errors).toEqual([]);
    expect(config.http.services).toEqual({
      API: { loadBalancer: { servers: [{ url: 'http://172.17.0.2:8080' }] } },
    });
    expect(config.http.routers).toEqual({ w: { rule: 'Host(`w`)', service: 'API' } });
  });

  it('takes loadbalancer.server.url as the server, and weight as its weight', () => {
    const { config } = buildDockerConfig(
      [
        container({
          labels: {
            'traefik.http.services.s.loadbalancer.server.url': 'http://10.9.9.9:1234',
            'traefik.http.services.s.loadbalancer.server.weight': '2',
          },
        }),
      ],
      options(),
    );
    expect(config.http.services).toEqual({
      s: { loadBalancer: { servers: [{ url: 'http://10.9.9.9:1234', weight: 2 }] } },
    });
  });
});
