/**
 * The etcd and Redis providers against real servers, with keys written by the real command-line
 * clients (`etcdctl`, `redis-cli`) in Traefik's layout. Each suite uses its own root key, so
 * shared servers are never disturbed; outage tests kill and restart private servers.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  privateEtcd,
  privateRedis,
  privateSentinel,
  type RestartableServer,
} from '../../support/kv-servers.js';
import { etcdEndpoint, redisUrl } from '../../support/services.js';
import { startTestProxy, startUpstream, type TestProxy, type Upstream } from './support/harness.js';

interface Kv {
  put(key: string, value: string): void;
  del(key: string): void;
  /** Removes every key under the prefix (the suite's own root key). */
  clear(prefix: string): void;
}

const etcdctl = (address: string): Kv => {
  const run = (...args: string[]) =>
    execFileSync('etcdctl', [`--endpoints=${address}`, ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
    });
  return {
    put: (key, value) => run('put', key, value),
    del: (key) => run('del', key),
    clear: (prefix) => run('del', '--prefix', `${prefix}/`),
  };
};

const redisCli = (address: string, db = 0): Kv => {
  const [host, port] = address.split(':') as [string, string];
  const run = (...args: string[]) =>
    execFileSync('redis-cli', ['-h', host, '-p', port, '-n', String(db), ...args]);
  return {
    put: (key, value) => run('SET', key, value),
    del: (key) => run('DEL', key),
    clear: (prefix) => {
      const keys = run('--scan', '--pattern', `${prefix}/*`).toString().split('\n').filter(Boolean);
      if (keys.length > 0) run('DEL', ...keys);
    },
  };
};

async function get(proxy: TestProxy, host: string) {
  const response = await request(proxy.url(), { headers: { host } });
  return { status: response.statusCode, body: await response.body.text() };
}

/** Asks until the answer is accepted; the routing follows the writes, so it converges. */
async function until(
  proxy: TestProxy,
  host: string,
  accept: (a: { status: number; body: string }) => boolean,
) {
  let last: { status: number; body: string } | undefined;
  for (let attempt = 0; attempt < 600; attempt++) {
    last = await get(proxy, host);
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`routing for ${host} never converged; last answer ${JSON.stringify(last)}`);
}

function writeRoute(kv: Kv, root: string, name: string, host: string, url: string) {
  kv.put(`${root}/http/services/${name}/loadbalancer/servers/0/url`, url);
  kv.put(`${root}/http/routers/${name}/rule`, `Host(\`${host}\`)`);
  kv.put(`${root}/http/routers/${name}/service`, name);
}

const upstreams: Upstream[] = [];
async function upstream(body: string) {
  const server = await startUpstream((_req, res) => res.end(body));
  upstreams.push(server);
  return server;
}
afterAll(async () => {
  await Promise.all(upstreams.map((u) => u.close()));
});

describe.each([
  {
    kind: 'etcd',
    shared: async () => new URL(await etcdEndpoint()).host,
    cli: etcdctl,
    restartable: () => privateEtcd(),
  },
  {
    kind: 'redis',
    shared: async () => new URL(await redisUrl()).host,
    cli: (address: string) => redisCli(address),
    restartable: () => privateRedis(),
  },
])('$kind provider (real server)', ({ kind, shared, cli, restartable }) => {
  let proxy: TestProxy;
  let kv: Kv;
  const root = `affineur-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const address = await shared();
    kv = cli(address);
    proxy = await startTestProxy({ providers: { [kind]: { endpoints: [address], rootKey: root } } });
  });
  afterAll(async () => {
    await proxy?.close();
    kv?.clear(root);
  });

  it('routes from keys written with the real client, and follows changes and deletions', async () => {
    const a = await upstream('a');
    const b = await upstream('b');
    expect((await get(proxy, 'kv.test')).status).toBe(404);
    writeRoute(kv, root, 'app', 'kv.test', a.url);
    await until(proxy, 'kv.test', (r) => r.body === 'a');

    // Lists by index and typed values: a second server with a weight, and a middleware.
    kv.put(`${root}/http/services/app/loadbalancer/servers/1/url`, b.url);
    kv.put(`${root}/http/services/app/loadbalancer/servers/1/weight`, '1');
    kv.put(`${root}/http/middlewares/tag/headers/customresponseheaders/X-From`, kind);
    kv.put(`${root}/http/routers/app/middlewares/0`, 'tag');
    const seen = new Set<string>();
    await until(proxy, 'kv.test', (r) => {
      seen.add(r.body);
      return seen.has('a') && seen.has('b');
    });
    const response = await request(proxy.url(), { headers: { host: 'kv.test' } });
    await response.body.text();
    expect(response.headers['x-from']).toBe(kind);

    kv.del(`${root}/http/routers/app/rule`);
    await until(proxy, 'kv.test', (r) => r.status === 404);
  });

  it('leaves out only the object of a garbage key, and names the key', async () => {
    const good = await upstream('good');
    const logged = proxy.waitForLog(new RegExp(`${root}/http/routers/bad/priority`));
    writeRoute(kv, root, 'bad', 'bad.test', good.url);
    kv.put(`${root}/http/routers/bad/priority`, 'very-high');
    writeRoute(kv, root, 'fine', 'fine.test', good.url);
    await until(proxy, 'fine.test', (r) => r.body === 'good');
    expect(await logged).toContain('AFF_ERR_PROVIDER_FLAT_KEY');
    expect((await get(proxy, 'bad.test')).status).toBe(404);
  });

  it('keeps serving while the server is down, logs the outage once, and resumes after a restart', async () => {
    const server: RestartableServer = await restartable();
    const privateKv = cli(server.address);
    const privateRoot = `${root}-outage`;
    const own = await startTestProxy({
      providers: { [kind]: { endpoints: [server.address], rootKey: privateRoot } },
    });
    try {
      const before = await upstream('before');
      writeRoute(privateKv, privateRoot, 'one', 'one.test', before.url);
      await until(own, 'one.test', (r) => r.body === 'before');

      // Listening before the kill: the outage may be logged before kill() resolves.
      const outageLogged = own.waitForLog(/AFF_ERR_PROXY_PROVIDER_UNREACHABLE/);
      await server.kill();
      await outageLogged;
      // Routing keeps serving the last configuration through the outage.
      for (let i = 0; i < 20; i++) expect((await get(own, 'one.test')).body).toBe('before');

      await server.start();
      const after = await upstream('after');
      writeRoute(privateKv, privateRoot, 'two', 'two.test', after.url);
      await until(own, 'two.test', (r) => r.body === 'after');
      expect((await get(own, 'one.test')).body).toBe('before');
      expect(own.logs.filter((line) => line.includes('AFF_ERR_PROXY_PROVIDER_UNREACHABLE'))).toHaveLength(1);
    } finally {
      await own.close();
      await server.close();
    }
  });
});

describe('redis provider on a server that refuses CONFIG', () => {
  it('polls instead of keyspace notifications, and says so', async () => {
    const server = await privateRedis(['--rename-command', 'CONFIG', '']);
    const root = `affineur-poll-${randomUUID().slice(0, 8)}`;
    const proxy = await startTestProxy({
      providers: { redis: { endpoints: [server.address], rootKey: root, db: 3 } },
    });
    try {
      expect(proxy.logs.join('')).toMatch(/refuses CONFIG SET notify-keyspace-events; polling/);
      const up = await upstream('polled');
      writeRoute(redisCli(server.address, 3), root, 'p', 'poll.test', up.url);
      await until(proxy, 'poll.test', (r) => r.body === 'polled');
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});

describe('redis provider through Sentinel', () => {
  it('finds the master through the Sentinel endpoints and routes from its keys', async () => {
    const master = await privateRedis();
    const sentinel = await privateSentinel('affineur-master', master.port);
    const root = `affineur-sentinel-${randomUUID().slice(0, 8)}`;
    const proxy = await startTestProxy({
      providers: {
        redis: { endpoints: [sentinel.address], rootKey: root, sentinel: { masterName: 'affineur-master' } },
      },
    });
    try {
      const up = await upstream('via-sentinel');
      writeRoute(redisCli(master.address), root, 's', 'sentinel.test', up.url);
      await until(proxy, 'sentinel.test', (r) => r.body === 'via-sentinel');
    } finally {
      await proxy.close();
      await sentinel.close();
      await master.close();
    }
  });
});

describe('KV providers with credentials', () => {
  it('redis: logs in with an ACL user and password', async () => {
    const server = await privateRedis([
      '--user',
      'proxy',
      'on',
      '>s3cret',
      '~*',
      '&*',
      '+@all',
      '--user',
      'default',
      'off',
    ]);
    const root = `affineur-acl-${randomUUID().slice(0, 8)}`;
    const proxy = await startTestProxy({
      providers: {
        redis: { endpoints: [server.address], rootKey: root, username: 'proxy', password: 's3cret' },
      },
    });
    try {
      const up = await upstream('acl');
      const [host, port] = server.address.split(':') as [string, string];
      const kv: Kv = {
        put: (key, value) =>
          execFileSync('redis-cli', [
            '-h',
            host,
            '-p',
            port,
            '--user',
            'proxy',
            '--pass',
            's3cret',
            '--no-auth-warning',
            'SET',
            key,
            value,
          ]),
        del: () => {},
        clear: () => {},
      };
      writeRoute(kv, root, 'acl', 'acl.test', up.url);
      await until(proxy, 'acl.test', (r) => r.body === 'acl');
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('etcd: logs in with a user and password when auth is enabled', async () => {
    const server = await privateEtcd();
    const run = (...args: string[]) =>
      execFileSync('etcdctl', [`--endpoints=${server.address}`, ...args], {
        env: { ...process.env, ETCDCTL_API: '3' },
      });
    run('user', 'add', 'root:rootpw');
    run('auth', 'enable');
    const root = `affineur-auth-${randomUUID().slice(0, 8)}`;
    const proxy = await startTestProxy({
      providers: {
        etcd: { endpoints: [server.address], rootKey: root, username: 'root', password: 'rootpw' },
      },
    });
    try {
      const up = await upstream('auth');
      const kv: Kv = {
        put: (key, value) => run('--user=root:rootpw', 'put', key, value),
        del: () => {},
        clear: () => {},
      };
      writeRoute(kv, root, 'auth', 'auth.test', up.url);
      await until(proxy, 'auth.test', (r) => r.body === 'auth');
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});
