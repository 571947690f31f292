import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeGet, startTestProxy, startUpstream, type Upstream } from '../../support/harness.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function waitForLines(path: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {}
    const lines = text.split('\n').filter((line) => line !== '');
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) throw new Error(`${path} has ${lines.length} of ${count} lines: ${text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the access log's ClientUsername names the user an auth middleware admitted", () => {
  let upstream: Upstream;
  let auth: Upstream;
  const dir = mkdtempSync(join(tmpdir(), 'affineur-username-'));

  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => res.end('service'));
    auth = await startUpstream((req, res) => {
      if (req.headers.authorization === 'Bearer dave') res.setHeader('x-auth-user', 'dave');
      res.end();
    });
  });
  afterAll(async () => {
    await Promise.all([upstream.close(), auth.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const dynamic = () => {
    const router = (name: string) => ({
      rule: `PathPrefix(\`/${name}\`)`,
      service: 'app',
      middlewares: [name],
    });
    return {
      http: {
        routers: { basic: router('basic'), digest: router('digest'), forward: router('forward') },
        middlewares: {
          basic: { basicAuth: { users: ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'] } },
          digest: { digestAuth: { users: ['test:traefik:a2688e031edb4be6a3797f3882655c05'] } },
          forward: { forwardAuth: { address: `${auth.url}/check`, headerField: 'X-Auth-User' } },
        },
        services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
      },
    };
  };

  it('JSON: basicAuth, digestAuth and forwardAuth headerField; "-" for a refused request', async () => {
    const file = join(dir, 'access.json');
    const proxy = await startTestProxy({
      static: { accessLog: { filePath: file, format: 'json' } },
      dynamic: dynamic(),
    });
    try {
      expect((await nodeGet(`${proxy.url()}/basic`, { authorization: basic('test', 'test') })).body).toBe(
        'service',
      );
      expect((await nodeGet(`${proxy.url()}/basic`)).status).toBe(401);
      const challenge = String((await nodeGet(`${proxy.url()}/digest`)).headers['www-authenticate']);
      const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1];
      const response = md5(`${md5('test:traefik:test')}:${nonce}:00000001:c:auth:${md5('GET:/digest')}`);
      const digest = await nodeGet(`${proxy.url()}/digest`, {
        authorization: `Digest username="test", realm="traefik", nonce="${nonce}", uri="/digest", qop=auth, nc=00000001, cnonce="c", response="${response}"`,
      });
      expect(digest.body).toBe('service');
      expect((await nodeGet(`${proxy.url()}/forward`, { authorization: 'Bearer dave' })).body).toBe(
        'service',
      );
      const lines = (await waitForLines(file, 5)).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map((l) => [l.RequestPath, l.DownstreamStatus, l.ClientUsername])).toEqual([
        ['/basic', 200, 'test'],
        ['/basic', 401, '-'],
        ['/digest', 401, '-'],
        ['/digest', 200, 'test'],
        ['/forward', 200, 'dave'],
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('common: the user is the third field, as in Traefik', async () => {
    const file = join(dir, 'access.log');
    const proxy = await startTestProxy({ static: { accessLog: { filePath: file } }, dynamic: dynamic() });
    try {
      await nodeGet(`${proxy.url()}/basic`, { authorization: basic('test', 'test') });
      await nodeGet(`${proxy.url()}/basic`);
      const [admitted, refused] = await waitForLines(file, 2);
      expect(admitted).toMatch(/^127\.0\.0\.1 - test \[/);
      expect(refused).toMatch(/^127\.0\.0\.1 - - \[/);
    } finally {
      await proxy.close();
    }
  });
});
