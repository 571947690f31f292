import { describe, expect, it } from 'vitest';
import { compileRule } from '../../../../proxy/rules/compile-rule.js';
import { buildRuntimeConfig } from '../../../../proxy/runtime/runtime-config.js';
import { mergeDynamicObjects } from '../../../../proxy/watcher/dynamic-objects.js';
import { readProviderConfig } from '../../../../proxy/watcher/read-provider-config.js';
import { parseConfigText } from '../../../../src/config/config-file.js';

function read(text: string, file = '/conf/dynamic.yml', provider = 'file') {
  const parsed = parseConfigText(text, file);
  return readProviderConfig({ provider, documents: [{ file, value: parsed.value, locate: parsed.locate }] });
}

const runtimeOptions = {
  entryPoints: [
    { name: 'web', asDefault: false },
    { name: 'websecure', asDefault: false },
  ],
  supportedMiddlewares: new Set<string>(),
  internalServices: new Set<string>(),
  compileRule,
};

describe('routing configuration, object by object', () => {
  it('qualifies names and references with the provider, keeping explicit @provider references', () => {
    const objects = read(`
http:
  routers:
    api:
      rule: Host(\`api.example\`)
      service: api
    shared:
      rule: Host(\`shared.example\`)
      service: common@redis
  services:
    api:
      loadBalancer:
        servers: [{ url: "http://10.0.0.1" }]
`);
    expect([...objects.routers.keys()]).toEqual(['api@file', 'shared@file']);
    expect(objects.routers.get('api@file')?.value?.service).toBe('api@file');
    expect(objects.routers.get('shared@file')?.value?.service).toBe('common@redis');
  });

  it('disables only the object with a typo, with file, line, key path and suggestion', () => {
    const objects = read(`http:
  routers:
    good:
      rule: Path(\`/\`)
      service: app
    bad:
      rule: Path(\`/bad\`)
      servce: app
  services:
    app:
      loadBalancer:
        servers: [{ url: "http://10.0.0.1" }]
`);
    expect(objects.routers.get('good@file')?.value).toBeDefined();
    const bad = objects.routers.get('bad@file');
    expect(bad?.value).toBeUndefined();
    expect(bad?.errors.map((e) => e.message).join('\n')).toMatch(
      /\/conf\/dynamic\.yml:8: http\.routers\.bad\.servce: unknown key "servce"\. Did you mean "service"\?/,
    );
  });

  it('refuses "@" in object names', () => {
    const objects = read('http:\n  services:\n    "a@b":\n      loadBalancer: { servers: [] }\n');
    const [service] = objects.services.values();
    expect(service?.errors[0]?.code).toBe('AFF_ERR_PROXY_NAME_HAS_AT');
  });

  it('makes unsupported middlewares disable only the routers that use them', () => {
    const objects = read(`http:
  routers:
    protected:
      rule: Path(\`/admin\`)
      middlewares: [auth]
      service: app
    open:
      rule: Path(\`/\`)
      service: app
  middlewares:
    auth:
      basicAuth:
        users: ["test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"]
  services:
    app:
      loadBalancer:
        servers: [{ url: "http://10.0.0.1" }]
`);
    const runtime = buildRuntimeConfig(objects, runtimeOptions);
    expect(runtime.middlewares.get('auth@file')?.errors[0]?.code).toBe(
      'AFF_ERR_PROXY_MIDDLEWARE_UNSUPPORTED',
    );
    expect(runtime.routers.get('protected@file')?.status).toBe('disabled');
    expect(runtime.routers.get('protected@file')?.errors[0]?.code).toBe('AFF_ERR_PROXY_DISABLED_REFERENCE');
    expect(runtime.routers.get('open@file')?.status).toBe('enabled');
  });

  it('reports unknown references, bad rules and service loops per object', () => {
    const objects = read(`http:
  routers:
    nowhere:
      rule: Path(\`/\`)
      service: missing
    badrule:
      rule: Path(\`/\`
      service: a
    badep:
      rule: Path(\`/x\`)
      entryPoints: [webb]
      service: a
  services:
    a: { weighted: { services: [{ name: b }] } }
    b: { weighted: { services: [{ name: a }] } }
`);
    const runtime = buildRuntimeConfig(objects, runtimeOptions);
    expect(runtime.routers.get('nowhere@file')?.errors[0]?.code).toBe('AFF_ERR_PROXY_UNKNOWN_REFERENCE');
    expect(runtime.routers.get('badrule@file')?.errors[0]?.code).toBe('AFF_ERR_RULE_SYNTAX');
    expect(runtime.routers.get('badep@file')?.errors[0]?.message).toMatch(/entryPoint "webb" does not exist/);
    const loop = [runtime.services.get('a@file'), runtime.services.get('b@file')].flatMap(
      (s) => s?.errors ?? [],
    );
    expect(loop.some((e) => e.code === 'AFF_ERR_PROXY_SERVICE_CYCLE')).toBe(true);
  });

  it('reports tcp, udp and tls sections as not supported yet, and still reads http', () => {
    const objects = read(
      'tcp:\n  routers: {}\nhttp:\n  services:\n    a: { loadBalancer: { servers: [] } }\n',
    );
    expect(objects.errors[0]?.code).toBe('AFF_ERR_CONFIG_UNSUPPORTED');
    expect(objects.services.has('a@file')).toBe(true);
  });

  it('merges providers and resolves cross-provider references', () => {
    const file = read('http:\n  routers:\n    r:\n      rule: Path(`/`)\n      service: s@other\n');
    const other = read(
      'http:\n  services:\n    s:\n      loadBalancer: { servers: [] }\n',
      '/o.yml',
      'other',
    );
    const runtime = buildRuntimeConfig(mergeDynamicObjects([file, other]), runtimeOptions);
    expect(runtime.routers.get('r@file')?.status).toBe('enabled');
    expect(runtime.routers.get('r@file')?.entryPoints).toEqual(['web', 'websecure']);
  });

  it('reads TOML the same way', () => {
    const objects = read(
      '[http.routers.r]\nrule = "Path(`/`)"\nservice = "s"\n[[http.services.s.loadBalancer.servers]]\nurl = "http://10.0.0.1"\n',
      '/conf/d.toml',
    );
    const runtime = buildRuntimeConfig(objects, runtimeOptions);
    expect(runtime.routers.get('r@file')?.status).toBe('enabled');
  });
});
