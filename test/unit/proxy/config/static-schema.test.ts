import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticConfigSchema } from '../../../../proxy/config/static-schema.js';
import { loadProxyInstallConfig } from '../../../../proxy/proxy-command.js';
import { loadStaticConfig } from '../../../../src/config/static-config.js';

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'affineur-static-')), name);
  writeFileSync(path, text);
  return path;
}

const load = (args: string[], env: Record<string, string> = {}) =>
  loadStaticConfig({ schema: staticConfigSchema, args, env });

describe('install configuration', () => {
  it('reads a Traefik v3 YAML file with defaults filled in', async () => {
    const path = file(
      'affineur.yml',
      'entryPoints:\n  web:\n    address: ":8080"\n    asDefault: true\nproviders:\n  file:\n    directory: /etc/dyn\nping: {}\n',
    );
    const { config } = await load([`--configFile=${path}`]);
    expect(config.entryPoints.web?.address).toBe(':8080');
    expect(config.entryPoints.web?.transport.lifeCycle.graceTimeOut).toBe(10_000);
    expect(config.providers.file).toEqual({
      directory: '/etc/dyn',
      watch: true,
      debugLogGeneratedTemplate: false,
    });
    expect(config.ping?.entryPoint).toBe('traefik');
  });

  it('reads TOML too', async () => {
    const path = file(
      'affineur.toml',
      '[entryPoints.web]\naddress = ":80"\n[providers.file]\nfilename = "dyn.toml"\n',
    );
    const { config } = await load([`--configFile=${path}`]);
    expect(config.entryPoints.web?.address).toBe(':80');
    expect(config.providers.file?.filename).toBe('dyn.toml');
  });

  it('fails on a typo, naming the file, the key path and the right key', async () => {
    const path = file('affineur.yml', 'entrypoints:\n  web:\n    adress: ":8080"\n');
    await expect(load([`--configFile=${path}`])).rejects.toThrow(
      new RegExp(`${path}:3: entryPoints\\.web\\.adress: unknown key "adress"\\. Did you mean "address"\\?`),
    );
  });

  it('takes flags and env vars the Traefik way', async () => {
    const fromFlags = await load([
      '--entryPoints.web.address=:8081',
      '--ping',
      '--providers.file.directory=/d',
    ]);
    expect(fromFlags.config.entryPoints.web?.address).toBe(':8081');
    expect(fromFlags.config.ping).toBeDefined();
    const fromEnv = await load([], {
      AFFINEUR_ENTRYPOINTS_WEB_ADDRESS: ':8082',
      AFFINEUR_LOG_LEVEL: 'debug',
    });
    expect(fromEnv.config.entryPoints.web?.address).toBe(':8082');
    expect(fromEnv.config.log.level).toBe('DEBUG');
  });

  it('refuses known Traefik features that are not implemented yet, clearly', async () => {
    const path = file(
      'affineur.yml',
      'entryPoints:\n  web:\n    address: ":80"\nhostResolver:\n  cnameFlattening: true\n',
    );
    await expect(load([`--configFile=${path}`])).rejects.toThrow(
      /AFF_ERR_CONFIG_UNSUPPORTED.*hostResolver.*not supported/,
    );
  });

  it('refuses setting both providers.file.filename and directory', async () => {
    await expect(load(['--providers.file.filename=a.yml', '--providers.file.directory=/d'])).rejects.toThrow(
      /exactly one/,
    );
  });

  it('reads providers.plugin.<name> as the options of a provider plugin, from a file or flags', async () => {
    const path = file(
      'affineur.yml',
      'providers:\n  plugin:\n    registry:\n      domain: apps.test\n      pollInterval: 5s\n    bare:\n',
    );
    const { config } = await load([`--configFile=${path}`]);
    expect(config.providers.plugin).toEqual({
      registry: { domain: 'apps.test', pollInterval: '5s' },
      bare: {},
    });
    const fromFlags = await load(['--providers.plugin.registry.domain=apps.test', '--providers.plugin.bare']);
    expect(fromFlags.config.providers.plugin).toEqual({ registry: { domain: 'apps.test' }, bare: {} });
  });

  it('refuses provider plugin options that are not a map, naming the key path', async () => {
    const path = file('affineur.yml', 'providers:\n  plugin:\n    registry: apps.test\n');
    await expect(load([`--configFile=${path}`])).rejects.toThrow(
      new RegExp(`${path}:3: providers\\.plugin\\.registry: .*found "apps\\.test"`),
    );
  });
});

describe('providers.http', () => {
  it("fills in Traefik's defaults", () => {
    const config = staticConfigSchema.parse({
      providers: { http: { endpoint: 'http://127.0.0.1:9000/api' } },
    });
    expect(config.providers.http).toEqual({
      endpoint: 'http://127.0.0.1:9000/api',
      pollInterval: 5000,
      pollTimeout: 5000,
      maxResponseBodySize: -1,
    });
  });

  it('refuses what cannot work, by key', () => {
    const issues = (http: unknown) =>
      staticConfigSchema
        .safeParse({ providers: { http } })
        .error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues({ endpoint: 'ftp://x/' })).toEqual([
      ['providers.http.endpoint', 'expected an http:// or https:// URL'],
    ]);
    expect(issues({ endpoint: 'http://x/', pollInterval: '0s' })).toEqual([
      ['providers.http.pollInterval', 'expected a duration above zero'],
    ]);
    expect(issues({ endpoint: 'http://x/', tls: { cert: 'c.pem' } })).toEqual([
      ['providers.http.tls', 'set both tls.cert and tls.key, or neither'],
    ]);
  });
});

describe('provider options from flags and env vars', () => {
  it('reads providers.http and providers.precedence as Traefik spells them on the command line', async () => {
    const flags = await loadProxyInstallConfig(
      [
        '--providers.http.endpoint=http://127.0.0.1:9000/api',
        '--providers.http.headers.X-Token=abc',
        '--providers.http.pollInterval=10',
        '--providers.precedence=file,http',
      ],
      { env: {}, cwd: tmpdir() },
    );
    expect(flags.config.providers.http).toMatchObject({
      pollInterval: 10_000,
      headers: { 'X-Token': 'abc' },
    });
    expect(flags.config.providers.precedence).toEqual(['file', 'http']);
    const env = await loadProxyInstallConfig([], {
      env: {
        AFFINEUR_PROVIDERS_HTTP_ENDPOINT: 'http://x/',
        AFFINEUR_PROVIDERS_HTTP_TLS_INSECURESKIPVERIFY: 'true',
      },
      cwd: tmpdir(),
    });
    expect(env.config.providers.http?.tls).toEqual({ insecureSkipVerify: true });
  });
});
