/**
 * The Docker provider against a real Docker Engine (test/support/services.ts starts a private
 * dockerd when none runs). Containers are a busybox HTTP server from an image made with
 * `docker import`, on the host network, labelled as a Traefik user would. A constraint on a
 * label unique to this run keeps other containers of a shared Engine out.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import Docker from 'dockerode';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBusyboxImage, runBusyboxHttp } from '../../support/busybox-image.js';
import { privateDockerd } from '../../support/private-dockerd.js';
import { dockerEngine, freePort } from '../../support/services.js';
import { makeTestCertificates } from '../../support/test-certificates.js';
import { startTestProxy, type TestProxy } from './support/harness.js';

const run = randomUUID().slice(0, 8);
const mark = { 'affineur.test': run };

describe('docker provider (real Docker Engine)', () => {
  let docker: Docker;
  let proxy: TestProxy;
  const containers: Docker.Container[] = [];

  beforeAll(async () => {
    const endpoint = await dockerEngine();
    docker = new Docker({ socketPath: endpoint.replace(/^unix:\/\//, '') });
    await ensureBusyboxImage(docker);
    proxy = await startTestProxy({
      providers: {
        docker: { endpoint, exposedByDefault: false, constraints: `Label(\`affineur.test\`, \`${run}\`)` },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => {})));
  });

  async function get(host: string): Promise<{ status: number; body: string }> {
    const response = await request(proxy.url(), { headers: { host } });
    return { status: response.statusCode, body: (await response.body.text()).trim() };
  }

  /** Asks until `accept` holds for the answer; the routing follows events, so it converges. */
  async function until(host: string, accept: (answer: { status: number; body: string }) => boolean) {
    let last: { status: number; body: string } | undefined;
    for (let attempt = 0; attempt < 600; attempt++) {
      last = await get(host);
      if (accept(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`routing for ${host} never converged; last answer ${JSON.stringify(last)}`);
  }

  /** The distinct bodies of `count` requests. */
  async function spread(host: string, count = 12): Promise<string[]> {
    const bodies = new Set<string>();
    for (let i = 0; i < count; i++) {
      const answer = await get(host);
      expect(answer.status).toBe(200);
      bodies.add(answer.body);
    }
    return [...bodies].sort();
  }

  it('follows start, scale to three, kill one and stop: routing follows each change', async () => {
    const host = `app-${run}.test`;
    const labels = (port: number) => ({
      'traefik.http.routers.app.rule': `Host(\`${host}\`)`,
      'traefik.http.routers.app.service': 'app',
      'traefik.http.services.app.loadbalancer.server.port': String(port),
    });
    const startApp = async (name: string) => {
      const port = await freePort();
      const container = await runBusyboxHttp(docker, {
        name: `${name}-${run}`,
        port,
        body: name,
        labels: { ...mark, 'traefik.enable': 'true', ...labels(port) },
      });
      containers.push(container);
      return container;
    };

    const servers = () =>
      proxy.proxy.runtime()?.services.get('app@docker')?.config?.loadBalancer?.servers.length ?? 0;
    /** Waits until the load balancer holds `count` servers: the provider followed the Engine. */
    const untilServers = async (count: number) => {
      for (let attempt = 0; attempt < 600 && servers() !== count; attempt++)
        await new Promise((r) => setTimeout(r, 50));
      expect(servers()).toBe(count);
    };

    expect((await get(host)).status).toBe(404);
    const one = await startApp('one');
    await until(host, (a) => a.status === 200 && a.body === 'one');

    const two = await startApp('two');
    const three = await startApp('three');
    await untilServers(3);
    // Docker reports a start once the process runs, maybe before busybox listens: wait for all
    // three to answer once, then every request must succeed, spread over the three.
    const seen = new Set<string>();
    await until(host, (a) => {
      if (a.status === 200) seen.add(a.body);
      return seen.size === 3;
    });
    expect(await spread(host)).toEqual(['one', 'three', 'two']);

    await three.kill();
    await untilServers(2);
    // Once the die event is applied, no request goes to the killed container.
    expect(await spread(host)).toEqual(['one', 'two']);

    await one.stop({ t: 0 });
    await untilServers(1);
    expect(await spread(host)).toEqual(['two']);

    await two.stop({ t: 0 });
    await until(host, (a) => a.status === 404);
    expect(proxy.proxy.runtime()?.routers.has('app@docker')).toBe(false);
  });

  it('makes the automatic router and service of a container, with the default rule', async () => {
    const port = await freePort();
    containers.push(
      await runBusyboxHttp(docker, {
        name: `auto-${run}`,
        port,
        body: 'auto',
        labels: {
          ...mark,
          'traefik.enable': 'true',
          'traefik.http.services.svc.loadbalancer.server.port': String(port),
        },
      }),
    );
    // Labels name a service but no router: the router is named after the container.
    const answer = await until(`auto-${run}`, (a) => a.status === 200);
    expect(answer.body).toBe('auto');
    expect(proxy.proxy.runtime()?.routers.get(`auto-${run}@docker`)?.status).toBe('enabled');
  });

  it('takes an unhealthy container out of the load balancer', async () => {
    const host = `health-${run}.test`;
    const port = await freePort();
    const container = await runBusyboxHttp(docker, {
      name: `health-${run}`,
      port,
      body: 'healthy',
      healthcheck: true,
      labels: {
        ...mark,
        'traefik.enable': 'true',
        'traefik.http.routers.health.rule': `Host(\`${host}\`)`,
        'traefik.http.services.health.loadbalancer.server.port': String(port),
      },
    });
    containers.push(container);
    await until(host, (a) => a.status === 200 && a.body === 'healthy');

    const exec = await container.exec({ Cmd: ['/bin/busybox', 'rm', '/srv/health'] });
    await exec.start({ Detach: true });
    await until(host, (a) => a.status === 404);
    expect((await container.inspect()).State.Health?.Status).toBe('unhealthy');
  });

  it('leaves out only the container whose label is wrong, and names the container and the label', async () => {
    const goodHost = `good-${run}.test`;
    const goodPort = await freePort();
    const badPort = await freePort();
    containers.push(
      await runBusyboxHttp(docker, {
        name: `bad-${run}`,
        port: badPort,
        body: 'bad',
        labels: {
          ...mark,
          'traefik.enable': 'true',
          'traefik.http.routers.bad.rule': `Host(\`bad-${run}.test\`)`,
          'traefik.http.routers.bad.priorty': '5',
          'traefik.http.services.bad.loadbalancer.server.port': String(badPort),
        },
      }),
    );
    const logged = proxy.waitForLog(
      new RegExp(`traefik.http.routers.bad.priorty \\(from container \\\\"bad-${run}\\\\"\\)`),
    );
    containers.push(
      await runBusyboxHttp(docker, {
        name: `good-${run}`,
        port: goodPort,
        body: 'good',
        labels: {
          ...mark,
          'traefik.enable': 'true',
          'traefik.http.routers.good.rule': `Host(\`${goodHost}\`)`,
          'traefik.http.services.good.loadbalancer.server.port': String(goodPort),
        },
      }),
    );
    await until(goodHost, (a) => a.status === 200 && a.body === 'good');
    expect(await logged).toContain('Did you mean \\"priority\\"?');
    expect((await get(`bad-${run}.test`)).status).toBe(404);
    expect(proxy.proxy.runtime()?.routers.has('bad@docker')).toBe(false);
  });
});

describe('docker provider when the Engine goes away', () => {
  it('keeps serving the last configuration, logs the outage once, and follows again after a restart', async () => {
    const engine = await privateDockerd();
    const docker = new Docker({ socketPath: engine.socketPath });
    const proxy = await startTestProxy({ providers: { docker: { endpoint: engine.endpoint } } });
    try {
      await ensureBusyboxImage(docker);
      const route = async (name: string) => {
        const port = await freePort();
        const container = await runBusyboxHttp(docker, {
          name,
          port,
          body: name,
          labels: {
            [`traefik.http.routers.${name}.rule`]: `Host(\`${name}.test\`)`,
            [`traefik.http.services.${name}.loadbalancer.server.port`]: String(port),
          },
        });
        const answer = async () => {
          const response = await request(proxy.url(), { headers: { host: `${name}.test` } });
          return { status: response.statusCode, body: (await response.body.text()).trim() };
        };
        for (let attempt = 0; attempt < 600; attempt++) {
          if ((await answer()).body === name) return { container, answer };
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`${name} was never routed`);
      };
      const before = await route('before');

      // The Engine stops (its containers live on, --live-restore): the routing stays.
      const outage = proxy.waitForLog(/AFF_ERR_PROXY_PROVIDER_UNREACHABLE/);
      await engine.stop();
      await outage;
      for (let i = 0; i < 10; i++) expect(await before.answer()).toEqual({ status: 200, body: 'before' });

      await engine.start();
      await route('after');
      expect(await before.answer()).toEqual({ status: 200, body: 'before' });
      expect(proxy.logs.filter((line) => line.includes('AFF_ERR_PROXY_PROVIDER_UNREACHABLE'))).toHaveLength(
        1,
      );
      await before.container.remove({ force: true });
    } finally {
      await proxy.close();
      await removeEveryContainer(docker);
      await engine.close();
    }
  }, 120_000);
});

describe('docker provider over tcp:// with TLS', () => {
  it('reads the Engine with a client certificate, and an Engine it cannot verify is an outage', async () => {
    const certs = makeTestCertificates();
    const port = await freePort();
    const engine = await privateDockerd({ port, ca: certs.ca, cert: certs.serverCert, key: certs.serverKey });
    const docker = new Docker({ socketPath: engine.socketPath });
    const endpoint = `tcp://127.0.0.1:${port}`;
    const proxy = await startTestProxy({
      providers: {
        docker: { endpoint, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } },
      },
    });
    // Without a client certificate the Engine refuses the connection: logged as an outage.
    const refused = await startTestProxy({ providers: { docker: { endpoint, tls: { ca: certs.ca } } } });
    try {
      await ensureBusyboxImage(docker);
      const appPort = await freePort();
      await runBusyboxHttp(docker, {
        name: 'tls',
        port: appPort,
        body: 'over-tls',
        labels: {
          'traefik.http.routers.tls.rule': 'Host(`tls.test`)',
          'traefik.http.services.tls.loadbalancer.server.port': String(appPort),
        },
      });
      let answer = '';
      for (let attempt = 0; attempt < 600 && answer !== 'over-tls'; attempt++) {
        const response = await request(proxy.url(), { headers: { host: 'tls.test' } });
        answer = (await response.body.text()).trim();
        if (answer !== 'over-tls') await new Promise((r) => setTimeout(r, 50));
      }
      expect(answer).toBe('over-tls');
      expect(refused.logs.join('')).toMatch(/AFF_ERR_PROXY_PROVIDER_UNREACHABLE/);
      expect((await request(refused.url(), { headers: { host: 'tls.test' } })).statusCode).toBe(404);
    } finally {
      await proxy.close();
      await refused.close();
      await removeEveryContainer(docker);
      await engine.close();
      rmSync(certs.dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** Clears a private Engine before it is closed, so no container outlives its test. */
async function removeEveryContainer(docker: Docker): Promise<void> {
  for (const c of await docker.listContainers({ all: true }).catch(() => [])) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => {});
  }
}
