import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { providersFromConfig } from '../../../../proxy/assembly/providers-from-config.js';
import { staticConfigSchema } from '../../../../proxy/config/static-schema.js';
import { loadStaticConfig } from '../../../../src/config/static-config.js';

const dir = mkdtempSync(join(tmpdir(), 'affineur-providers-install-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const load = (args: string[]) => loadStaticConfig({ schema: staticConfigSchema, args, env: {} });
const none = { moduleOf: new Map(), middlewares: new Map(), providers: new Map() } as never;
const logger = pino({ level: 'silent' });

describe('install options of the Docker, etcd and Redis providers (Traefik documentation examples)', () => {
  it('loads the Docker provider options from YAML with Traefik defaults', async () => {
    const { config } = await load([
      `--configFile=${file(
        'docker.yml',
        [
          'providers:',
          '  docker:',
          '    endpoint: "tcp://127.0.0.1:2375"',
          '    exposedByDefault: false',
          '    network: web',
          '    useBindPortIP: true',
          '    watch: true',
          '    allowEmptyServices: true',
          '    httpClientTimeout: 300',
          '    constraints: "Label(`a.label.name`,`foo`)"',
        ].join('\n'),
      )}`,
    ]);
    expect(config.providers.docker).toMatchObject({
      endpoint: 'tcp://127.0.0.1:2375',
      exposedByDefault: false,
      network: 'web',
      useBindPortIP: true,
      allowEmptyServices: true,
      httpClientTimeout: 300_000,
      defaultRule: 'Host(`{{ normalize .Name }}`)',
    });
    expect(providersFromConfig({ config, plugins: none, logger }).map((p) => p.name)).toEqual(['docker']);
  });

  it('takes --providers.docker alone as the provider with its defaults', async () => {
    const { config } = await load(['--providers.docker']);
    expect(config.providers.docker).toMatchObject({
      endpoint: 'unix:///var/run/docker.sock',
      exposedByDefault: true,
      watch: true,
    });
  });

  it('loads etcd and Redis from TOML and flags', async () => {
    const { config } = await load([
      `--configFile=${file(
        'kv.toml',
        [
          '[providers.etcd]',
          '  endpoints = ["127.0.0.1:2379"]',
          '  rootKey = "traefik"',
          '  username = "foo"',
          '  password = "bar"',
          '[providers.redis]',
          '  endpoints = ["127.0.0.1:6379"]',
          '  rootKey = "traefik"',
          '  db = 0',
          '  [providers.redis.sentinel]',
          '    masterName = "my-master"',
        ].join('\n'),
      )}`,
    ]);
    expect(config.providers.etcd).toEqual({
      endpoints: ['127.0.0.1:2379'],
      rootKey: 'traefik',
      username: 'foo',
      password: 'bar',
    });
    expect(config.providers.redis).toMatchObject({ db: 0, sentinel: { masterName: 'my-master' } });
    const flags = await load([
      '--providers.redis.endpoints=10.0.0.1:6379',
      '--providers.redis.db=2',
      '--providers.etcd.rootKey=proxy',
    ]);
    expect(flags.config.providers.redis).toMatchObject({
      endpoints: ['10.0.0.1:6379'],
      db: 2,
      rootKey: 'traefik',
    });
    expect(flags.config.providers.etcd).toMatchObject({ endpoints: ['127.0.0.1:2379'], rootKey: 'proxy' });
  });

  it('refuses what is not built, naming the key', async () => {
    await expect(load(['--providers.swarm.endpoint=tcp://127.0.0.1:2377'])).rejects.toThrow(
      /providers.swarm \(from command-line flags\): the swarm provider \(Docker Swarm mode\) is not supported by affineur yet/,
    );
    await expect(load(['--providers.consul.endpoints=127.0.0.1:8500'])).rejects.toThrow(
      /not supported by affineur yet/,
    );
    await expect(load(['--providers.docker.endpoint=ssh://user@host'])).rejects.toThrow(
      /providers.docker.endpoint/,
    );
    await expect(load(['--providers.etcd.rootKey=/traefik/'])).rejects.toThrow(/providers.etcd.rootKey/);
  });

  it('stops the start on a bad constraints expression, a missing TLS file or Redis Cluster endpoints', async () => {
    const start = async (args: string[]) =>
      providersFromConfig({ config: (await load(args)).config, plugins: none, logger });
    await expect(start(['--providers.docker.constraints=Label(`a`'])).rejects.toThrow(
      /AFF_ERR_PROVIDER_CONSTRAINT: providers.docker.constraints/,
    );
    await expect(start(['--providers.etcd.tls.ca=/nonexistent/ca.pem'])).rejects.toThrow(
      /providers.etcd.tls.ca/,
    );
    await expect(start(['--providers.redis.endpoints=a:1,b:2'])).rejects.toThrow(
      /Redis Cluster, which is not supported yet/,
    );
  });
});
