import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportedMiddlewareTypes } from '../../../../../proxy/middleware/middleware.js';
import type { CompiledRule } from '../../../../../proxy/rules/compile-rule.js';
import type { RuntimeConfig } from '../../../../../proxy/runtime/runtime-config.js';
import {
  nodeGet,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

const fixtures = new URL('./fixtures/traefik-docs/', import.meta.url);

/** One router per documented middleware, on a path of its own. */
const routes: Record<string, string> = {
  'add-foo': '/add',
  'test-stripprefix': '/foobar',
  'test-stripprefixregex': '/foo/',
  'test-replacepath': '/replace',
  'test-replacepathregex': '/rx',
  'test-ipallowlist': '/allow',
  'test-redirectregex': '/redirectregex',
  'test-redirectscheme': '/scheme',
  testHeader: '/header',
  testCors: '/cors',
  testSecure: '/secure',
  'test-compress': '/compress',
  autodetect: '/detect',
  'test-errors': '/errors',
  limit: '/limit',
  'test-retry': '/retry',
  'test-grpc-web': '/grpc',
  'test-passtlsclientcert': '/cert',
  secured: '/secured',
};

describe.each(['middlewares.yml', 'middlewares.toml'])('Traefik v3 middleware docs examples (%s)', (file) => {
  let app: Upstream;
  let pages: Upstream;
  let proxy: TestProxy;
  let runtime: RuntimeConfig<CompiledRule>;

  beforeAll(async () => {
    app = await startUpstream((req, res) => {
      const url = req.url ?? '/';
      if (url.startsWith('/errors')) {
        res.writeHead(503);
        res.end('down');
        return;
      }
      const body = url.startsWith('/compress')
        ? 'x'.repeat(2000)
        : url.startsWith('/detect')
          ? '<html></html>'
          : JSON.stringify({ url, headers: req.headers });
      if (!url.startsWith('/detect')) res.setHeader('content-type', 'application/json');
      res.writeHead(200);
      res.end(body);
    });
    pages = await startUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`page ${req.url}`);
    });
    proxy = await startTestProxy();
    const routers = Object.fromEntries(
      Object.entries(routes).map(([middleware, path]) => [
        `r-${middleware}`,
        { rule: `PathPrefix(\`${path}\`)`, service: 'app', middlewares: [middleware] },
      ]),
    );
    const applied = new Promise<RuntimeConfig<CompiledRule>>((resolve) =>
      proxy.proxy.onApplied((r) => {
        if (r.middlewares.has('add-foo@file') && r.routers.has('r-add-foo@file')) resolve(r);
      }),
    );
    writeFileSync(
      join(proxy.dir, '.routes.yml'),
      JSON.stringify({
        http: {
          routers,
          services: {
            app: { loadBalancer: { servers: [{ url: app.url }] } },
            'error-handler-service': { loadBalancer: { servers: [{ url: pages.url }] } },
          },
        },
      }),
    );
    writeFileSync(join(proxy.dir, `.${file}`), readFileSync(new URL(file, fixtures), 'utf8'));
    renameSync(join(proxy.dir, `.${file}`), join(proxy.dir, file));
    renameSync(join(proxy.dir, '.routes.yml'), join(proxy.dir, 'routes.yml'));
    runtime = await applied;
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([app.close(), pages.close()]);
  });

  const echo = async (path: string, headers: Record<string, string> = {}) =>
    JSON.parse((await nodeGet(`${proxy.url()}${path}`, headers)).body) as {
      url: string;
      headers: Record<string, string>;
    };

  it('loads every shaping example without an error', () => {
    for (const name of Object.keys(routes)) {
      if (name === 'secured') continue;
      expect(runtime.middlewares.get(`${name}@file`)?.errors).toEqual([]);
      expect(runtime.routers.get(`r-${name}@file`)?.status).toBe('enabled');
    }
  });

  it('path examples: addPrefix, stripPrefix, stripPrefixRegex, replacePath, replacePathRegex', async () => {
    expect((await echo('/add/x')).url).toBe('/foo/add/x');
    expect((await echo('/foobar/x')).url).toBe('/x');
    // The client's own X-Forwarded-Prefix (an untrusted peer) is replaced, never passed along.
    const regex = await echo('/foo/abc/123/rest', { 'x-forwarded-prefix': '/evil' });
    expect(regex.url).toBe('/rest');
    expect(regex.headers['x-forwarded-prefix']).toBe('/foo/abc/123/');
    expect((await echo('/replace/me')).url).toBe('/foo');
    expect((await echo('/rx')).url).toBe('/rx');
  });

  it('ipAllowList, redirectRegex and redirectScheme examples', async () => {
    expect((await nodeGet(`${proxy.url()}/allow`)).status).toBe(200);
    const regex = await nodeGet(`${proxy.url()}/redirectregex/a`, { host: 'localhost' });
    expect(regex.headers.location).toBe('http://mydomain/redirectregex/a');
    const scheme = await nodeGet(`${proxy.url()}/scheme`, { host: 'example.com' });
    expect(scheme.status).toBe(301);
    expect(scheme.headers.location).toBe('https://example.com/scheme');
  });

  it('headers examples: custom headers, CORS preflight, security headers', async () => {
    const custom = await nodeGet(`${proxy.url()}/header`);
    expect(JSON.parse(custom.body).headers['x-script-name']).toBe('test');
    expect(custom.headers['x-custom-response-header']).toBe('value');
    const preflight = await fetch(`${proxy.url()}/cors`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://example.org');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('*');
    expect(preflight.headers.get('access-control-max-age')).toBe('100');
    const secure = await nodeGet(`${proxy.url()}/secure`);
    expect(secure.headers['x-frame-options']).toBe('DENY');
    expect(secure.headers['x-xss-protection']).toBe('1; mode=block');
  });

  it('compress, contentType and errors examples', async () => {
    const compressed = await fetch(`${proxy.url()}/compress`, { headers: { 'accept-encoding': 'gzip' } });
    expect(compressed.headers.get('content-encoding')).toBe('gzip');
    expect((await compressed.text()).length).toBe(2000);
    expect((await nodeGet(`${proxy.url()}/detect`)).headers['content-type']).toBe('text/html; charset=utf-8');
    const error = await nodeGet(`${proxy.url()}/errors`);
    expect(error.status).toBe(503);
    expect(error.body).toBe('page /503.html');
  });

  it('buffering, grpcWeb and passTLSClientCert examples serve ordinary requests', async () => {
    const limited = await fetch(`${proxy.url()}/limit`, { method: 'POST', body: 'abc' });
    expect(limited.status).toBe(200);
    expect((await fetch(`${proxy.url()}/retry`)).status).toBe(200);
    expect((await fetch(`${proxy.url()}/grpc`)).status).toBe(200);
    expect(
      (await echo('/cert', { 'x-forwarded-tls-client-cert': 'forged' })).headers[
        'x-forwarded-tls-client-cert'
      ],
    ).toBeUndefined();
  });

  it('chain example: redirects to https first when basicAuth is available, else waits for it', async () => {
    const router = runtime.routers.get('r-secured@file');
    if (supportedMiddlewareTypes.has('basicAuth')) {
      expect(router?.status).toBe('enabled');
      expect((await nodeGet(`${proxy.url()}/secured`)).status).toBe(302);
    } else {
      expect(router?.status).toBe('disabled');
      expect(runtime.middlewares.get('auth-users@file')?.errors[0]?.code).toBe(
        'AFF_ERR_PROXY_MIDDLEWARE_UNSUPPORTED',
      );
    }
  });
});
