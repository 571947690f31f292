import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDisabledByMiddleware } from '../../support/disabled-by-middleware.js';
import {
  nodeGet,
  routerPerMiddleware,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

const fixtures = fileURLToPath(new URL('./fixtures/plugins/', import.meta.url));
const example = fileURLToPath(new URL('../../../../../examples/plugins/maintenance-page', import.meta.url));

describe('local plugins through the proxy', () => {
  let upstream: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    process.env.AFFINEUR_PLUGIN_TEST = 'visible';
    process.env.AFFINEUR_PLUGIN_HIDDEN = 'secret';
    upstream = await startUpstream((_req, res) => res.end('from the service'));
    proxy = await startTestProxy({
      static: {
        experimental: {
          localPlugins: {
            maintenance: { moduleName: example },
            misbehaving: {
              moduleName: `${fixtures}misbehaving.mjs`,
              settings: { envs: ['AFFINEUR_PLUGIN_TEST'] },
            },
            missing: { moduleName: './no/such/plugin' },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  const routes = (middlewares: Record<string, unknown>) => routerPerMiddleware(middlewares, upstream.url);

  it('the example maintenance-page plugin serves its page, with its own options schema', async () => {
    const runtime = await proxy.write(
      'dynamic.yml',
      routes({
        down: {
          plugin: { maintenance: { enabled: true, message: 'Back <soon>', passPaths: ['/down/health'] } },
        },
        up: { plugin: { maintenance: {} } },
        typo: { plugin: { maintenance: { enabeld: true } } },
        unknown: { plugin: { nosuch: {} } },
        notloaded: { plugin: { missing: {} } },
      }),
    );
    const down = await nodeGet(`${proxy.url()}/down/page`);
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('300');
    expect(down.body).toContain('Back &#60;soon&#62;');
    expect((await nodeGet(`${proxy.url()}/down/health`)).body).toBe('from the service');
    expect((await nodeGet(`${proxy.url()}/up`)).body).toBe('from the service');
    expect(expectDisabledByMiddleware(runtime, 'typo@file', 'typo@file').message).toContain(
      'invalid options for plugin "maintenance"',
    );
    expect(expectDisabledByMiddleware(runtime, 'unknown@file', 'unknown@file').code).toBe(
      'AFF_ERR_PROXY_PLUGIN_UNKNOWN',
    );
    expect(expectDisabledByMiddleware(runtime, 'notloaded@file', 'notloaded@file').code).toBe(
      'AFF_ERR_PROXY_PLUGIN_LOAD',
    );
  });

  it('a plugin that throws, at build or per request, sync or async, answers 500 and is logged', async () => {
    const failures = ['build', 'build-async', 'build-later', 'request', 'request-async', 'request-timer'];
    await proxy.write(
      'dynamic.yml',
      routes({
        ...Object.fromEntries(failures.map((fail) => [fail, { plugin: { misbehaving: { fail } } }])),
        fine: { plugin: { misbehaving: {} } },
      }),
    );
    for (const fail of failures) {
      const answer = await nodeGet(`${proxy.url()}/${fail}`);
      expect(answer.status, fail).toBe(500);
      // And again: the proxy, and the router, are still there.
      expect((await nodeGet(`${proxy.url()}/${fail}`)).status, fail).toBe(500);
    }
    const fine = await nodeGet(`${proxy.url()}/fine`);
    expect(fine.body).toBe('from the service');
    // Only the environment variables listed in settings.envs reach the plugin.
    expect(fine.headers['x-plugin-env']).toBe('visible');
    const logged = proxy.logs.filter((line) => line.includes('AFF_ERR_PROXY_PLUGIN_FAILED'));
    for (const message of [
      'broken at build',
      'broken at async build',
      'broken later at build',
      'broken per request',
      'broken per async request',
      'broken in a timer',
    ]) {
      expect(
        logged.some((line) => line.includes(message)),
        message,
      ).toBe(true);
    }
  });
});
