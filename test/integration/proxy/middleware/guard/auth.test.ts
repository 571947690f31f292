import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDisabledByMiddleware } from '../../support/disabled-by-middleware.js';
import {
  nodeGet,
  routerPerMiddleware,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Answers a Digest challenge the way a browser does (RFC 7616, MD5, qop=auth). */
function digestAnswer(challenge: string, user: string, password: string, method: string, uri: string) {
  const param = (key: string) => new RegExp(`${key}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const cnonce = '0a4f113b';
  const nc = '00000001';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${param('opaque')}"`;
}

describe('basicAuth and digestAuth through the proxy', () => {
  let upstream: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy();
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  const routes = (middlewares: Record<string, unknown>) => routerPerMiddleware(middlewares, upstream.url);

  it('basicAuth: challenges, refuses wrong passwords, admits MD5-apr1, SHA1 and bcrypt users', async () => {
    const sha = `{SHA}${createHash('sha1').update('sha-pass').digest('base64')}`;
    const fileUsers = join(proxy.dir, 'users.htpasswd');
    writeFileSync(fileUsers, `# a comment\nbob:${bcrypt.hashSync('bcrypt-pass', 4)}\n`);
    await proxy.write('dynamic.yml', {
      ...routes({
        plain: {
          basicAuth: { users: ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/', `carol:${sha}`] },
        },
        hardened: {
          basicAuth: {
            // bob is in both: the file's entry wins, as Traefik documents.
            users: ['bob:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'],
            usersFile: fileUsers,
            realm: 'staff only',
            headerField: 'X-WebAuth-User',
            removeHeader: true,
          },
        },
      }),
    });
    const anonymous = await nodeGet(`${proxy.url()}/plain`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="traefik"');
    expect((await nodeGet(`${proxy.url()}/plain`, { authorization: basic('test', 'nope') })).status).toBe(
      401,
    );
    expect((await nodeGet(`${proxy.url()}/plain`, { authorization: basic('nobody', 'test') })).status).toBe(
      401,
    );

    const apr1 = await nodeGet(`${proxy.url()}/plain`, { authorization: basic('test', 'test') });
    expect(apr1.status).toBe(200);
    expect(JSON.parse(apr1.body).headers.authorization).toBe(basic('test', 'test'));
    expect(
      (await nodeGet(`${proxy.url()}/plain`, { authorization: basic('carol', 'sha-pass') })).status,
    ).toBe(200);

    expect((await nodeGet(`${proxy.url()}/hardened`)).headers['www-authenticate']).toBe(
      'Basic realm="staff only"',
    );
    expect((await nodeGet(`${proxy.url()}/hardened`, { authorization: basic('bob', 'test') })).status).toBe(
      401,
    );
    for (let i = 0; i < 3; i++) {
      // The second and third requests are served from the verified-credentials cache.
      const ok = await nodeGet(`${proxy.url()}/hardened`, {
        authorization: basic('bob', 'bcrypt-pass'),
        'x-webauth-user': 'admin',
      });
      expect(ok.status).toBe(200);
      const seen = JSON.parse(ok.body).headers;
      expect(seen['x-webauth-user']).toBe('bob');
      expect(seen.authorization).toBeUndefined();
    }
    expect(
      (await nodeGet(`${proxy.url()}/hardened`, { authorization: basic('bob', 'bcrypt-pasS') })).status,
    ).toBe(401);
  });

  it('digestAuth: challenges with a nonce, admits a correct answer, refuses a wrong one', async () => {
    await proxy.write('dynamic.yml', {
      ...routes({
        digest: {
          digestAuth: {
            users: [`test:traefik:${md5('test:traefik:test')}`, `eve:other:${md5('eve:other:x')}`],
            headerField: 'X-User',
            removeHeader: true,
          },
        },
      }),
    });
    const first = await nodeGet(`${proxy.url()}/digest/x?y=1`);
    expect(first.status).toBe(401);
    const challenge = String(first.headers['www-authenticate']);
    expect(challenge).toMatch(
      /^Digest realm="traefik", nonce="[^"]+", opaque="[^"]+", algorithm=MD5, qop="auth"$/,
    );

    const ok = await nodeGet(`${proxy.url()}/digest/x?y=1`, {
      authorization: digestAnswer(challenge, 'test', 'test', 'GET', '/digest/x?y=1'),
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).headers['x-user']).toBe('test');
    expect(JSON.parse(ok.body).headers.authorization).toBeUndefined();

    const wrong = await nodeGet(`${proxy.url()}/digest/x?y=1`, {
      authorization: digestAnswer(challenge, 'test', 'wrong', 'GET', '/digest/x?y=1'),
    });
    expect(wrong.status).toBe(401);
    // An answer computed for another URI cannot be replayed here.
    const replay = await nodeGet(`${proxy.url()}/digest/other`, {
      authorization: digestAnswer(challenge, 'test', 'test', 'GET', '/digest/x?y=1'),
    });
    expect(replay.status).toBe(401);
  });

  it('a typo in an option disables the middleware, with a suggestion, and only the routers using it', async () => {
    const runtime = await proxy.write('dynamic.yml', {
      ...routes({
        typo: { basicAuth: { users: ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'], realmm: 'x' } },
        nousers: { basicAuth: {} },
        fine: { basicAuth: { users: ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'] } },
      }),
    });
    const typo = expectDisabledByMiddleware(runtime, 'typo@file', 'typo@file');
    expect(typo.code).toBe('AFF_ERR_CONFIG_UNKNOWN_KEY');
    expect(typo.message).toContain('"realmm"');
    expect(typo.message).toMatch(/dynamic\.yml:\d+: http\.middlewares\.typo\.basicAuth\.realmm: /);
    expect(typo.message).toContain('Did you mean "realm"?');
    expect(expectDisabledByMiddleware(runtime, 'nousers@file', 'nousers@file').message).toContain(
      'basicAuth has no users',
    );
    expect(runtime.routers.get('fine@file')?.status).toBe('enabled');
    expect((await nodeGet(`${proxy.url()}/typo`)).status).toBe(404);
    expect((await nodeGet(`${proxy.url()}/fine`, { authorization: basic('test', 'test') })).status).toBe(200);
  });
});
