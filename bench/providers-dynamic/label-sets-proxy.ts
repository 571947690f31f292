/**
 * `affineur proxy` fed by N containers' worth of Docker labels, for the benchmark: real
 * containers are too heavy to run by the thousand here, so a provider hands the Docker
 * provider's own configuration builder N label sets (host-network containers whose
 * `loadbalancer.server.port` is the upstream's port, each with its own Host rule), exactly what
 * the Docker provider emits after listing N such containers.
 *
 *   node --import tsx label-sets-proxy.ts <port> <upstreamPort> <containers>
 */
import { pino } from 'pino';
import { staticConfigSchema } from '../../proxy/config/static-schema.js';
import { buildDockerConfig } from '../../proxy/provider/docker/build-docker-config.js';
import type { ContainerInfo } from '../../proxy/provider/docker/container-info.js';
import { makeDefaultRule } from '../../proxy/provider/docker/default-rule.js';
import { defaultDockerRule } from '../../proxy/provider/docker/docker-options-schema.js';
import type { Provider } from '../../proxy/provider/provider.js';
import { startProxy } from '../../proxy/proxy-app.js';

const [port, upstreamPort, count] = process.argv.slice(2).map(Number) as [number, number, number];

export function labelSets(containers: number, upstream: number): ContainerInfo[] {
  return Array.from({ length: containers }, (_, i) => ({
    id: `c${i}`,
    name: `app-${i}`,
    state: 'running',
    health: '',
    networkMode: 'host',
    networks: {},
    ports: {},
    labels: {
      'traefik.enable': 'true',
      // The last container is the catch-all: every benchmark request matches it, after the
      // others' Host rules are ruled out.
      [`traefik.http.routers.app-${i}.rule`]:
        i === containers - 1 ? 'PathPrefix(`/`)' : `Host(\`app-${i}.test\`)`,
      [`traefik.http.services.app-${i}.loadbalancer.server.port`]: String(upstream),
    },
  }));
}

const provider: Provider = {
  name: 'docker',
  async start(emit) {
    const { config, errors } = buildDockerConfig(labelSets(count, upstreamPort), {
      exposedByDefault: true,
      constraints: () => true,
      useBindPortIP: false,
      allowEmptyServices: false,
      defaultRule: makeDefaultRule(defaultDockerRule),
    });
    if (errors.length > 0) throw errors[0];
    emit({ provider: 'docker', documents: [{ value: config }] });
  },
};

const config = staticConfigSchema.parse({
  entryPoints: { web: { address: `127.0.0.1:${port}` } },
  providers: { providersThrottleDuration: 0 },
  log: { level: 'ERROR' },
});
await startProxy(config, { logger: pino({ level: 'error' }), providers: [provider] });
