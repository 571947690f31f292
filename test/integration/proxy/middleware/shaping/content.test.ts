import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nodeGet,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

describe('contentType and passTLSClientCert through the real proxy', () => {
  let upstream: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if ((req.url ?? '').includes('typed')) res.setHeader('content-type', 'application/x-custom');
      res.setHeader('x-cert', String(req.headers['x-forwarded-tls-client-cert']));
      res.writeHead(200);
      res.end('<html><body>hi</body></html>');
    });
    proxy = await startTestProxy();
    await proxy.write('dynamic.yml', {
      http: {
        services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        middlewares: {
          autodetect: { contentType: {} },
          off: { contentType: { autoDetect: false } },
          cert: {
            passTLSClientCert: {
              pem: true,
              info: { notAfter: true, sans: true, subject: { commonName: true, organizationalUnit: true } },
            },
          },
          'cert-typo': { passTLSClientCert: { info: { subject: { commonNam: true } } } },
        },
        routers: {
          plain: { rule: 'PathPrefix(`/plain`)', service: 'app' },
          detect: { rule: 'PathPrefix(`/detect`)', service: 'app', middlewares: ['autodetect'] },
          off: { rule: 'PathPrefix(`/off`)', service: 'app', middlewares: ['off'] },
          cert: { rule: 'PathPrefix(`/cert`)', service: 'app', middlewares: ['cert'] },
          typo: { rule: 'PathPrefix(`/typo`)', service: 'app', middlewares: ['cert-typo'] },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('without the middleware, a response without Content-Type stays without one (Traefik v3)', async () => {
    expect((await nodeGet(`${proxy.url()}/plain`)).headers['content-type']).toBeUndefined();
    expect((await nodeGet(`${proxy.url()}/off`)).headers['content-type']).toBeUndefined();
  });

  it('contentType sniffs a missing Content-Type and keeps the one the service set', async () => {
    const detected = await nodeGet(`${proxy.url()}/detect`);
    expect(detected.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(detected.body).toBe('<html><body>hi</body></html>');
    expect((await nodeGet(`${proxy.url()}/detect/typed`)).headers['content-type']).toBe(
      'application/x-custom',
    );
  });

  it('passTLSClientCert never lets a client forge the certificate headers', async () => {
    const response = await nodeGet(`${proxy.url()}/cert`, { 'x-forwarded-tls-client-cert': 'forged' });
    expect(response.headers['x-cert']).toBe('undefined');
    const typo = proxy.proxy.runtime()?.middlewares.get('cert-typo@file');
    expect(typo?.errors[0]?.message).toMatch(/passTLSClientCert\.info\.subject\.commonNam.*"commonName"/);
  });
});
