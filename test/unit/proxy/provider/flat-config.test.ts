import { describe, expect, it } from 'vitest';
import { kvEntries } from '../../../../proxy/provider/flat-config/kv-entries.js';
import { labelEntries } from '../../../../proxy/provider/flat-config/label-entries.js';
import { parseFlatConfig } from '../../../../proxy/provider/flat-config/parse-flat-config.js';

const fromLabels = (labels: Record<string, string>) =>
  parseFlatConfig(labelEntries(labels), { source: 'container "web"', noun: 'label' });
const fromKv = (pairs: Record<string, string>, root = 'traefik') =>
  parseFlatConfig(kvEntries(Object.entries(pairs), root), { source: 'etcd', noun: 'key' });

describe('flat configuration from Docker labels', () => {
  it('reads routers, services and middlewares with Traefik spelling in any case', () => {
    const { config, errors } = fromLabels({
      'traefik.enable': 'true',
      'traefik.http.routers.app.rule': 'Host(`a.test`)',
      'traefik.http.routers.app.entrypoints': 'web,websecure',
      'traefik.http.routers.app.priority': '42',
      'traefik.http.routers.app.middlewares': 'strip',
      'traefik.http.routers.app.service': 'app',
      'Traefik.HTTP.Services.app.LoadBalancer.PassHostHeader': 'false',
      'traefik.http.services.app.loadbalancer.servers[0].url': 'http://127.0.0.1:81',
      'traefik.http.services.app.loadbalancer.servers[1].url': 'http://127.0.0.1:82',
      'traefik.http.middlewares.strip.stripprefix.prefixes': '/a,/b',
      'traefik.http.middlewares.hdr.headers.customrequestheaders.X-Foo': 'bar',
      'traefik.http.middlewares.gz.compress': 'true',
    });
    expect(errors).toEqual([]);
    expect(config.http?.routers).toEqual({
      app: {
        rule: 'Host(`a.test`)',
        entryPoints: ['web', 'websecure'],
        priority: 42,
        middlewares: ['strip'],
        service: 'app',
      },
    });
    expect(config.http?.services).toEqual({
      app: {
        loadBalancer: {
          passHostHeader: false,
          servers: [{ url: 'http://127.0.0.1:81' }, { url: 'http://127.0.0.1:82' }],
        },
      },
    });
    expect(config.http?.middlewares).toEqual({
      strip: { stripPrefix: { prefixes: ['/a', '/b'] } },
      hdr: { headers: { customRequestHeaders: { 'X-Foo': 'bar' } } },
      gz: { compress: {} },
    });
  });

  it('leaves out only the object whose label is wrong, naming the container and the label', () => {
    const { config, errors } = fromLabels({
      'traefik.http.routers.good.rule': 'Host(`a.test`)',
      'traefik.http.routers.good.service': 's',
      'traefik.http.routers.bad.rul': 'Host(`b.test`)',
      'traefik.http.routers.bad.service': 's',
      'traefik.http.services.s.loadbalancer.servers[0].url': 'http://127.0.0.1:81',
    });
    expect(Object.keys(config.http?.routers ?? {})).toEqual(['good']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('label traefik.http.routers.bad.rul (from container "web")');
    expect(errors[0]?.message).toContain('Did you mean "rule"?');
  });

  it('reports a value of the wrong type against its label', () => {
    const { config, errors } = fromLabels({
      'traefik.http.routers.r.rule': 'Host(`a.test`)',
      'traefik.http.routers.r.service': 's',
      'traefik.http.routers.r.priority': 'high',
    });
    expect(config.http?.routers).toEqual({});
    expect(errors[0]?.code).toBe('AFF_ERR_PROVIDER_FLAT_KEY');
    expect(errors[0]?.message).toContain('label traefik.http.routers.r.priority');
  });

  it('types middleware options by the middleware schema and checks them', () => {
    const { config, errors } = fromLabels({
      'traefik.http.middlewares.lim.inflightreq.amount': 'ten',
      'traefik.http.middlewares.ok.inflightreq.amount': '10',
    });
    expect(config.http?.middlewares).toEqual({ ok: { inFlightReq: { amount: 10 } } });
    expect(errors[0]?.message).toContain('traefik.http.middlewares.lim.inflightreq.amount');
  });

  it('refuses the sections affineur does not route yet, by label', () => {
    const { errors } = fromLabels({ 'traefik.tcp.routers.t.rule': 'HostSNI(`*`)' });
    expect(errors[0]?.message).toMatch(/tcp routing configuration is not supported by affineur yet/);
  });
});

describe('flat configuration from KV keys', () => {
  it('reads lists by index, maps and typed values under the root key', () => {
    const { config, errors } = fromKv(
      {
        'custom/http/routers/r/rule': 'PathPrefix(`/`)',
        'custom/http/routers/r/entrypoints/0': 'web',
        'custom/http/routers/r/service': 's',
        'custom/http/services/s/loadbalancer/servers/0/url': 'http://127.0.0.1:81',
        'custom/http/services/s/loadbalancer/servers/2/url': 'http://127.0.0.1:83',
        'custom/http/services/s/loadbalancer/servers/2/weight': '3',
        'custom/http/middlewares/h/headers/customresponseheaders/X-A': '1',
        'custom/': '',
        'other/http/routers/x/rule': 'Host(`x`)',
      },
      'custom',
    );
    expect(errors).toEqual([]);
    expect(config.http?.routers).toEqual({
      r: { rule: 'PathPrefix(`/`)', entryPoints: ['web'], service: 's' },
    });
    expect(config.http?.services).toEqual({
      s: {
        loadBalancer: {
          servers: [{ url: 'http://127.0.0.1:81' }, { url: 'http://127.0.0.1:83', weight: 3 }],
        },
      },
    });
    expect(config.http?.middlewares).toEqual({ h: { headers: { customResponseHeaders: { 'X-A': '1' } } } });
  });

  it('names the key of a garbage value and keeps the other objects', () => {
    const { config, errors } = fromKv({
      'traefik/http/services/s/loadbalancer/servers/0/url': 'not a url',
      'traefik/http/services/t/loadbalancer/servers/0/url': 'http://127.0.0.1:81',
      'traefik/http/services/u/loadbalancer/servers/first/url': 'http://127.0.0.1:81',
    });
    expect(Object.keys(config.http?.services ?? {})).toEqual(['t']);
    expect(errors.map((e) => e.message).join('\n')).toContain(
      'key traefik/http/services/s/loadbalancer/servers/0/url',
    );
    expect(errors.map((e) => e.message).join('\n')).toContain('"first" is not a list index');
  });
});

describe('flat configuration: missing options', () => {
  it('names the missing key as the source spells it', () => {
    const { errors } = parseFlatConfig(kvEntries([['traefik/http/routers/r/service', 's']], 'traefik'), {
      source: 'redis',
      noun: 'key',
      spell: (path) => ['traefik', ...path].join('/'),
    });
    expect(errors[0]?.message).toContain(
      'key traefik/http/routers/r/rule (from redis): this required option is missing',
    );
  });
});

describe("Traefik's documentation examples as labels and keys", () => {
  it('reads the label examples of the Docker provider and middleware pages', () => {
    const { config, errors } = fromLabels({
      'traefik.http.routers.my-container.rule': 'Host(`example.com`)',
      'traefik.http.routers.my-container.middlewares': 'test-auth,test-redirectscheme',
      'traefik.http.routers.my-container.service': 'my-service',
      'traefik.http.services.my-service.loadbalancer.sticky.cookie.name': 'mycookie',
      'traefik.http.services.my-service.loadbalancer.healthcheck.path': '/health',
      'traefik.http.services.my-service.loadbalancer.healthcheck.interval': '10s',
      'traefik.http.services.my-service.loadbalancer.servers[0].url': 'http://127.0.0.1:12345',
      'traefik.http.middlewares.test-auth.basicauth.users':
        'test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/,test2:$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0',
      'traefik.http.middlewares.test-redirectscheme.redirectscheme.scheme': 'https',
      'traefik.http.middlewares.test-redirectscheme.redirectscheme.permanent': 'true',
    });
    expect(errors).toEqual([]);
    expect(config.http?.middlewares?.['test-auth']).toEqual({
      basicAuth: {
        users: ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/', 'test2:$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0'],
      },
    });
    expect(config.http?.middlewares?.['test-redirectscheme']).toEqual({
      redirectScheme: { scheme: 'https', permanent: true },
    });
    expect(config.http?.services?.['my-service']).toEqual({
      loadBalancer: {
        sticky: { cookie: { name: 'mycookie' } },
        healthCheck: { path: '/health', interval: '10s' },
        servers: [{ url: 'http://127.0.0.1:12345' }],
      },
    });
  });

  it('reads the KV examples with lists by index', () => {
    const { config, errors } = fromKv({
      'traefik/http/routers/myrouter/rule': 'Host(`example.com`)',
      'traefik/http/routers/myrouter/entrypoints/0': 'web',
      'traefik/http/routers/myrouter/entrypoints/1': 'websecure',
      'traefik/http/routers/myrouter/service': 'myservice',
      'traefik/http/middlewares/auth/basicauth/users/0': 'test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/',
      'traefik/http/services/myservice/weighted/services/0/name': 'app',
      'traefik/http/services/myservice/weighted/services/0/weight': '3',
      'traefik/http/services/app/loadbalancer/servers/0/url': 'http://127.0.0.1:8080',
    });
    expect(errors).toEqual([]);
    expect(config.http?.routers?.myrouter).toEqual({
      rule: 'Host(`example.com`)',
      entryPoints: ['web', 'websecure'],
      service: 'myservice',
    });
    expect(config.http?.middlewares?.auth).toEqual({
      basicAuth: { users: ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'] },
    });
    expect(config.http?.services?.myservice).toEqual({
      weighted: { services: [{ name: 'app', weight: 3 }] },
    });
  });
});
