// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Go replacement templates use ${1}, not JS templates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nodeGet,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
}

describe('path rewriting, chains, IP allow lists and redirects through the real proxy', () => {
  let upstream: Upstream;
  let proxy: TestProxy;

  const route = (rule: string, middlewares: string[]) => ({ rule, service: 'app', middlewares });

  beforeAll(async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy({
      static: {
        entryPoints: {
          web: { address: '127.0.0.1:0', forwardedHeaders: { insecure: true } },
          edge: { address: '127.0.0.1:0', http: { middlewares: ['edge-prefix', 'tag@file'] } },
        },
      },
    });
    await proxy.write('dynamic.yml', {
      http: {
        services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        middlewares: {
          'add-api': { addPrefix: { prefix: '/api' } },
          strip: { stripPrefix: { prefixes: ['/foobar', '/fiibar'] } },
          'strip-forced': { stripPrefix: { prefixes: ['/forced'], forceSlash: false } },
          'strip-re': { stripPrefixRegex: { regex: ['/re/[a-z0-9]+/'] } },
          replace: { replacePath: { path: '/replaced' } },
          'replace-re': { replacePathRegex: { regex: '^/rx/(.*)', replacement: '/bar/$1' } },
          both: { chain: { middlewares: ['strip', 'add-api'] } },
          loop1: { chain: { middlewares: ['loop2'] } },
          loop2: { chain: { middlewares: ['loop1'] } },
          local: { ipAllowList: { sourceRange: ['127.0.0.1/32'] } },
          remote: { ipAllowList: { sourceRange: ['192.168.0.0/16'], rejectStatusCode: 404 } },
          'by-depth': { ipAllowList: { sourceRange: ['10.1.0.0/16'], ipStrategy: { depth: 2 } } },
          legacy: { ipWhiteList: { sourceRange: ['127.0.0.1'] } },
          'to-https': { redirectScheme: { scheme: 'https', permanent: true } },
          'to-8443': { redirectScheme: { scheme: 'https', port: '8443' } },
          're-redirect': {
            redirectRegex: { regex: '^http://([^/]+)/old/(.*)', replacement: 'http://${1}/new/$2' },
          },
          typo: { stripPrefix: { prefixs: ['/x'] } },
          'edge-prefix': { addPrefix: { prefix: '/edge' } },
          tag: { headers: { customRequestHeaders: { 'X-Edge': 'yes' } } },
        },
        routers: {
          add: route('PathPrefix(`/add`)', ['add-api']),
          strip: route('PathPrefix(`/foobar`) || PathPrefix(`/fiibar`)', ['strip']),
          forced: route('PathPrefix(`/forced`)', ['strip-forced']),
          stripre: route('PathPrefix(`/re`)', ['strip-re']),
          replace: route('PathPrefix(`/replace`)', ['replace']),
          replacere: route('PathPrefix(`/rx`)', ['replace-re']),
          chained: { ...route('PathPrefix(`/foobar/chained`)', ['both']), priority: 1000 },
          loop: route('PathPrefix(`/loop`)', ['loop1']),
          local: route('PathPrefix(`/local`)', ['local']),
          remote: route('PathPrefix(`/remote`)', ['remote']),
          depth: route('PathPrefix(`/depth`)', ['by-depth']),
          legacy: route('PathPrefix(`/legacy`)', ['legacy']),
          https: route('PathPrefix(`/secure`)', ['to-https']),
          port: route('PathPrefix(`/port`)', ['to-8443']),
          regex: route('PathPrefix(`/old`) || PathPrefix(`/new`)', ['re-redirect']),
          typo: route('PathPrefix(`/typo`)', ['typo']),
          edge: { rule: 'PathPrefix(`/e`)', service: 'app', entryPoints: ['edge'] },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  const echo = async (path: string, headers: Record<string, string> = {}, entryPoint = 'web') => {
    const response = await nodeGet(`${proxy.url(entryPoint)}${path}`, headers);
    expect(response.status).toBe(200);
    return JSON.parse(response.body) as Echo;
  };

  it('addPrefix puts the prefix in front of the forwarded path', async () => {
    expect((await echo('/add/users?x=1')).url).toBe('/api/add/users?x=1');
  });

  it('stripPrefix strips the first matching prefix and sets X-Forwarded-Prefix', async () => {
    const seen = await echo('/foobar/products?q=1');
    expect(seen.url).toBe('/products?q=1');
    expect(seen.headers['x-forwarded-prefix']).toBe('/foobar');
    expect((await echo('/fiibar')).url).toBe('/');
    expect((await echo('/forced')).url).toBe('/');
    expect(proxy.logs.some((l) => l.includes('forceSlash is deprecated'))).toBe(true);
  });

  it('stripPrefixRegex strips the regexp match at the start of the path', async () => {
    const seen = await echo('/re/abc123/items');
    expect(seen.url).toBe('/items');
    expect(seen.headers['x-forwarded-prefix']).toBe('/re/abc123/');
  });

  it('replacePath and replacePathRegex set X-Replaced-Path and keep the query', async () => {
    const plain = await echo('/replace/me?a=b');
    expect(plain.url).toBe('/replaced?a=b');
    expect(plain.headers['x-replaced-path']).toBe('/replace/me');
    const regex = await echo('/rx/one/two');
    expect(regex.url).toBe('/bar/one/two');
    expect(regex.headers['x-replaced-path']).toBe('/rx/one/two');
  });

  it('chain runs its members in order; a chain loop disables only its router', async () => {
    expect((await echo('/foobar/chained/x')).url).toBe('/api/chained/x');
    const runtime = proxy.proxy.runtime();
    const loop = runtime?.routers.get('loop@file');
    expect(loop?.status).toBe('disabled');
    expect(loop?.errors[0]?.code).toBe('AFF_ERR_PROXY_MIDDLEWARE_CYCLE');
    expect((await nodeGet(`${proxy.url()}/loop`)).status).toBe(404);
    expect(runtime?.routers.get('add@file')?.status).toBe('enabled');
  });

  it('an unknown option disables the middleware and its routers, naming both and the fix', async () => {
    const runtime = proxy.proxy.runtime();
    const middleware = runtime?.middlewares.get('typo@file');
    expect(middleware?.status).toBe('disabled');
    // Where it was written: the file, the line and the whole key path, then the fix.
    expect(middleware?.errors[0]?.message).toMatch(
      /dynamic\.yml:\d+: http\.middlewares\.typo\.stripPrefix\.prefixs: unknown key.*"prefixes"/,
    );
    expect(middleware?.errors[0]?.line).toBeGreaterThan(1);
    expect(runtime?.routers.get('typo@file')?.status).toBe('disabled');
    expect((await nodeGet(`${proxy.url()}/typo`)).status).toBe(404);
  });

  it('ipAllowList lets listed clients through and answers others with rejectStatusCode', async () => {
    expect((await nodeGet(`${proxy.url()}/local`)).status).toBe(200);
    const refused = await nodeGet(`${proxy.url()}/remote`);
    expect(refused.status).toBe(404);
    expect(refused.body).toBe('Not Found');
    // depth 2 from the right of X-Forwarded-For (the entryPoint trusts forwarded headers here).
    expect((await nodeGet(`${proxy.url()}/depth`, { 'x-forwarded-for': '10.1.2.3, 127.0.0.5' })).status).toBe(
      200,
    );
    const outside = await nodeGet(`${proxy.url()}/depth`, { 'x-forwarded-for': '10.2.2.3, 10.1.0.1' });
    expect(outside.status).toBe(403);
    expect(outside.body).toBe('Forbidden');
    expect((await nodeGet(`${proxy.url()}/depth`)).status).toBe(403);
  });

  it('ipWhiteList works as the deprecated alias and warns', async () => {
    expect((await nodeGet(`${proxy.url()}/legacy`)).status).toBe(200);
    expect(proxy.logs.some((l) => l.includes('ipWhiteList middleware is deprecated'))).toBe(true);
  });

  it('redirectScheme redirects with 301/308 when permanent, and not when already on https', async () => {
    const get = await nodeGet(`${proxy.url()}/secure/page?x=1`, { host: 'example.com:8000' });
    expect(get.status).toBe(301);
    expect(get.headers.location).toBe('https://example.com/secure/page?x=1');
    const post = await fetch(`${proxy.url()}/secure/form`, { method: 'POST', body: 'a', redirect: 'manual' });
    expect(post.status).toBe(308);
    const already = await nodeGet(`${proxy.url()}/secure/page`, {
      host: 'example.com',
      'x-forwarded-proto': 'https',
    });
    expect(already.status).toBe(200);
    const port = await nodeGet(`${proxy.url()}/port`, { host: 'example.com' });
    expect(port.status).toBe(302);
    expect(port.headers.location).toBe('https://example.com:8443/port');
    const put = await fetch(`${proxy.url()}/port`, { method: 'PUT', body: 'a', redirect: 'manual' });
    expect(put.status).toBe(307);
  });

  it('redirectRegex expands Go-style groups, and a non-matching URL goes on', async () => {
    const moved = await nodeGet(`${proxy.url()}/old/a/b?c=d`, { host: 'site.test' });
    expect(moved.status).toBe(302);
    expect(moved.headers.location).toBe('http://site.test/new/a/b?c=d');
    expect(moved.body).toBe('Found');
    expect((await echo('/new/a')).url).toBe('/new/a');
  });

  it('entryPoint middlewares run before the router, and resolve names in the router provider', async () => {
    const seen = await echo('/e/1', {}, 'edge');
    expect(seen.url).toBe('/edge/e/1');
    expect(seen.headers['x-edge']).toBe('yes');
  });
});
