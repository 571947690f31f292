import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nodeGet,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

describe('errors middleware through the real proxy, with a real error-page server', () => {
  let app: Upstream;
  let pages: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    app = await startUpstream((req, res) => {
      const status = Number(/\/status\/(\d+)/.exec(req.url ?? '')?.[1] ?? 200);
      res.writeHead(status, { 'content-type': 'text/plain', 'x-from': 'app' });
      res.end(`app says ${status}`);
    });
    pages = await startUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'x-from': 'pages' });
      res.end(`<h1>page for ${req.url}</h1> host=${req.headers.host} method=${req.method}`);
    });
    proxy = await startTestProxy();
    await proxy.write('dynamic.yml', {
      http: {
        services: {
          app: { loadBalancer: { servers: [{ url: app.url }] } },
          'error-pages': { loadBalancer: { servers: [{ url: pages.url }] } },
        },
        middlewares: {
          'test-errors': {
            errors: {
              status: ['500', '501', '503', '505-599'],
              statusRewrites: { '418': 404, '502-504': 500 },
              service: 'error-pages',
              query: '/{status}.html?from={originalStatus}&url={url}',
            },
          },
          'not-found': {
            errors: { status: [404, '418'], service: 'error-pages@file', query: '/{status}.html' },
          },
          missing: { errors: { status: ['500'], service: 'nowhere', query: '/' } },
          'bad-range': { errors: { status: ['5xx'], service: 'error-pages' } },
        },
        routers: {
          main: { rule: 'PathPrefix(`/`)', service: 'app', middlewares: ['test-errors'] },
          nf: { rule: 'PathPrefix(`/nf`)', service: 'app', middlewares: ['not-found'] },
          missing: { rule: 'PathPrefix(`/missing`)', service: 'app', middlewares: ['missing'] },
          bad: { rule: 'PathPrefix(`/bad`)', service: 'app', middlewares: ['bad-range'] },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([app.close(), pages.close()]);
  });

  it('serves the error page with the original status, filling {status}, {originalStatus} and {url}', async () => {
    const response = await nodeGet(`${proxy.url()}/status/501?q=1`, { host: 'site.test' });
    expect(response.status).toBe(501);
    expect(response.headers['x-from']).toBe('pages');
    expect(response.headers['content-type']).toBe('text/html');
    expect(response.body).toBe(
      `<h1>page for /501.html?from=501&url=${encodeURIComponent('/status/501?q=1')}</h1> host=site.test method=GET`,
    );
  });

  it('leaves statuses outside the ranges alone', async () => {
    const ok = await nodeGet(`${proxy.url()}/status/200`);
    expect(ok.body).toBe('app says 200');
    const gateway = await nodeGet(`${proxy.url()}/status/502`);
    expect(gateway.status).toBe(502);
    expect(gateway.body).toBe('app says 502');
  });

  it('statusRewrites changes the status sent and {status}, keeping {originalStatus}', async () => {
    const rewritten = await nodeGet(`${proxy.url()}/status/503`);
    expect(rewritten.status).toBe(500);
    expect(rewritten.body).toContain('page for /500.html?from=503&');
    // 504 is not in `status`: it passes untouched, rewrites apply only to caught statuses.
    expect((await nodeGet(`${proxy.url()}/status/504`)).body).toBe('app says 504');
    const nf = await nodeGet(`${proxy.url()}/nf/status/418`);
    expect(nf.status).toBe(418);
    expect(nf.body).toContain('/418.html');
    const plain = await nodeGet(`${proxy.url()}/nf/status/404`);
    expect(plain.status).toBe(404);
    expect(plain.body).toContain('page for /404.html');
  });

  it('a POST error is replaced by a GET of the page, without the request body', async () => {
    const response = await fetch(`${proxy.url()}/status/500`, { method: 'POST', body: 'payload' });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('method=GET');
  });

  it('an unknown error service or a bad status disables the middleware and its routers', () => {
    const runtime = proxy.proxy.runtime();
    expect(runtime?.routers.get('missing@file')?.status).toBe('disabled');
    expect(runtime?.middlewares.get('missing@file')?.errors[0]?.message).toMatch(
      /service "nowhere@file" does not exist/,
    );
    expect(runtime?.middlewares.get('bad-range@file')?.errors[0]?.message).toMatch(
      /"5xx" is not a status code or range/,
    );
    expect(runtime?.routers.get('main@file')?.status).toBe('enabled');
  });
});
