import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nodeGet,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

describe('headers middleware through the real proxy', () => {
  let upstream: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-powered-by': 'upstream',
        'x-frame-options': 'SAMEORIGIN',
        vary: 'Accept',
      });
      res.end(JSON.stringify({ headers: req.headers, url: req.url }));
    });
    proxy = await startTestProxy();
    const route = (path: string, middleware: string) => ({
      rule: `PathPrefix(\`${path}\`)`,
      service: 'app',
      middlewares: [middleware],
    });
    await proxy.write('dynamic.yml', {
      http: {
        services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        middlewares: {
          custom: {
            headers: {
              customRequestHeaders: { 'X-Script-Name': 'test', 'X-Drop-Me': '' },
              customResponseHeaders: { 'X-Custom-Response-Header': 'value', 'X-Powered-By': '' },
            },
          },
          cors: {
            headers: {
              accessControlAllowMethods: ['GET', 'OPTIONS', 'PUT'],
              accessControlAllowHeaders: ['*'],
              accessControlAllowOriginList: ['https://foo.bar.org', 'https://example.org'],
              accessControlAllowOriginListRegex: ['^https://([a-z]+)\\.example\\.com$'],
              accessControlExposeHeaders: ['X-Total'],
              accessControlAllowCredentials: true,
              accessControlMaxAge: 100,
              addVaryHeader: true,
            },
          },
          secure: {
            headers: {
              frameDeny: true,
              browserXssFilter: true,
              contentTypeNosniff: true,
              contentSecurityPolicy: "default-src 'self'",
              contentSecurityPolicyReportOnly: 'default-src https:',
              referrerPolicy: 'no-referrer',
              permissionsPolicy: 'camera=()',
              stsSeconds: 31536000,
              stsIncludeSubdomains: true,
              stsPreload: true,
              publicKey: 'pin-sha256="base64=="; max-age=10',
              sslProxyHeaders: { 'X-Forwarded-Proto': 'https' },
              allowedHosts: ['allowed.test'],
              hostsProxyHeaders: ['X-Forwarded-Host'],
            },
          },
          forced: {
            headers: { stsSeconds: 60, forceSTSHeader: true, customFrameOptionsValue: 'SAMEORIGIN' },
          },
          dev: {
            headers: { stsSeconds: 60, forceSTSHeader: true, isDevelopment: true, allowedHosts: ['x'] },
          },
          removed: { headers: { sslRedirect: true } },
        },
        routers: {
          custom: route('/custom', 'custom'),
          cors: route('/cors', 'cors'),
          secure: route('/secure', 'secure'),
          forced: route('/forced', 'forced'),
          dev: route('/dev', 'dev'),
          removed: route('/removed', 'removed'),
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('sets custom request and response headers; an empty value removes the header', async () => {
    const response = await nodeGet(`${proxy.url()}/custom`, { 'x-drop-me': 'secret' });
    const seen = JSON.parse(response.body) as { headers: Record<string, string> };
    expect(seen.headers['x-script-name']).toBe('test');
    expect(seen.headers['x-drop-me']).toBeUndefined();
    expect(response.headers['x-custom-response-header']).toBe('value');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('answers a CORS preflight itself, without reaching the service', async () => {
    const before = upstream.requests.length;
    const response = await fetch(`${proxy.url()}/cors/items`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'PUT' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://example.org');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS,PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-max-age')).toBe('100');
    expect(upstream.requests.length).toBe(before);
  });

  it('adds CORS headers to responses for allowed origins (list or regexp), with Vary: Origin', async () => {
    const listed = await nodeGet(`${proxy.url()}/cors`, { origin: 'https://foo.bar.org' });
    expect(listed.headers['access-control-allow-origin']).toBe('https://foo.bar.org');
    expect(listed.headers['access-control-expose-headers']).toBe('X-Total');
    expect(listed.headers.vary).toBe('Accept, Origin');
    const regex = await nodeGet(`${proxy.url()}/cors`, { origin: 'https://api.example.com' });
    expect(regex.headers['access-control-allow-origin']).toBe('https://api.example.com');
    const other = await nodeGet(`${proxy.url()}/cors`, { origin: 'https://evil.test' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // A plain OPTIONS (no Access-Control-Request-Method) is not a preflight: it goes upstream.
    const plain = await fetch(`${proxy.url()}/cors`, { method: 'OPTIONS' });
    expect(plain.headers.get('x-powered-by')).toBe('upstream');
  });

  it('adds security headers, STS only over TLS (here: a matching sslProxyHeader)', async () => {
    const plain = await nodeGet(`${proxy.url()}/secure`, { host: 'allowed.test' });
    expect(plain.status).toBe(200);
    expect(plain.headers['x-frame-options']).toBe('DENY');
    expect(plain.headers['x-xss-protection']).toBe('1; mode=block');
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.headers['content-security-policy']).toBe("default-src 'self'");
    expect(plain.headers['content-security-policy-report-only']).toBe('default-src https:');
    expect(plain.headers['referrer-policy']).toBe('no-referrer');
    expect(plain.headers['permissions-policy']).toBe('camera=()');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    // X-Forwarded-Proto from an untrusted peer does not count as TLS.
    const claimed = await nodeGet(`${proxy.url()}/secure`, {
      host: 'allowed.test',
      'x-forwarded-proto': 'https',
    });
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
  });

  it('refuses hosts outside allowedHosts with 500 Bad Host, reading hostsProxyHeaders first', async () => {
    const bad = await nodeGet(`${proxy.url()}/secure`, { host: 'other.test' });
    expect(bad.status).toBe(500);
    expect(bad.body).toBe('Bad Host\n');
    const proxied = await nodeGet(`${proxy.url()}/secure`, {
      host: 'other.test',
      'x-forwarded-host': 'allowed.test',
    });
    expect(proxied.status).toBe(200);
  });

  it('forceSTSHeader sends STS on plain HTTP; isDevelopment turns STS and allowedHosts off', async () => {
    const forced = await nodeGet(`${proxy.url()}/forced`);
    expect(forced.headers['strict-transport-security']).toBe('max-age=60');
    expect(forced.headers['x-frame-options']).toBe('SAMEORIGIN');
    const dev = await nodeGet(`${proxy.url()}/dev`, { host: 'anything.test' });
    expect(dev.status).toBe(200);
    expect(dev.headers['strict-transport-security']).toBeUndefined();
  });

  it('refuses options Traefik v3 removed, saying what to use instead', () => {
    const middleware = proxy.proxy.runtime()?.middlewares.get('removed@file');
    expect(middleware?.status).toBe('disabled');
    expect(middleware?.errors[0]?.message).toMatch(
      /headers\.sslRedirect.*removed in Traefik v3.*redirectScheme/,
    );
  });
});
