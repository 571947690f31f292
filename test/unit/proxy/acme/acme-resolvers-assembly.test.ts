import { mkdtempSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HttpChallengeResponder } from '../../../../proxy/acme/http-challenge-responder.js';
import { acmeResolvers, routerCertificateRequests } from '../../../../proxy/assembly/acme-resolvers.js';
import { entryPointsWithInternal } from '../../../../proxy/assembly/entry-point-servers.js';
import { internalRouting } from '../../../../proxy/assembly/internal-services.js';
import { staticConfigSchema } from '../../../../proxy/config/static-schema.js';
import { newRequestContext } from '../../../../proxy/middleware/handler.js';
import type { CompiledRule } from '../../../../proxy/rules/compile-rule.js';
import { compileRule } from '../../../../proxy/rules/compile-rule.js';
import type { RuntimeConfig, RuntimeRouter } from '../../../../proxy/runtime/runtime-config.js';
import { TlsAlpnChallenges } from '../../../../proxy/tls/tls-alpn-challenges.js';

const logger = pino({ level: 'silent' });
const tlsAlpnChallenges = new TlsAlpnChallenges();
const storage = () => join(mkdtempSync(join(tmpdir(), 'affineur-acme-asm-')), 'acme.json');

function configWith(resolvers: Record<string, unknown>, entryPoints: Record<string, unknown> = {}) {
  return staticConfigSchema.parse({
    entryPoints: { web: { address: ':80' }, ...entryPoints },
    certificatesResolvers: resolvers,
  });
}

describe('the ACME assembly step', () => {
  it('refuses an httpChallenge.entryPoint that does not exist, with the key path', () => {
    const config = configWith({
      le: { acme: { storage: storage(), httpChallenge: { entryPoint: 'http' } } },
    });
    expect(() =>
      acmeResolvers({ config, entryPoints: entryPointsWithInternal(config), logger, tlsAlpnChallenges }),
    ).toThrow(
      /AFF_ERR_CONFIG_INVALID: certificatesResolvers\.le\.acme\.httpChallenge\.entryPoint: the entryPoint "http" does not exist.*web/,
    );
  });

  it('refuses a caCertificates file that cannot be read', () => {
    const config = configWith({
      le: { acme: { storage: storage(), tlsChallenge: {}, caCertificates: ['/nonexistent/ca.pem'] } },
    });
    expect(() =>
      acmeResolvers({ config, entryPoints: entryPointsWithInternal(config), logger, tlsAlpnChallenges }),
    ).toThrow(/AFF_ERR_ACME_TRUST: certificatesResolvers\.le\.acme\.caCertificates\[0\]: .*cannot be read/);
  });

  it('routes acme-http@internal as Traefik does: max priority, or rule-length priority with allowACMEByPass', () => {
    const config = configWith(
      {
        a: { acme: { storage: storage(), httpChallenge: { entryPoint: 'web' } } },
        b: { acme: { storage: storage(), httpChallenge: { entryPoint: 'web' } } },
        c: { acme: { storage: storage(), httpChallenge: { entryPoint: 'open' } } },
        d: { acme: { storage: storage(), tlsChallenge: {} } },
      },
      { open: { address: ':8080', allowACMEByPass: true } },
    );
    const acme = acmeResolvers({
      config,
      entryPoints: entryPointsWithInternal(config),
      logger,
      tlsAlpnChallenges,
    });
    expect([...acme.resolvers.values()].map((r) => r.name)).toEqual(['a.acme', 'b.acme', 'c.acme', 'd.acme']);
    const internals = internalRouting(config, () => false, acme.httpChallenge);
    expect(internals.services.has('acme-http@internal')).toBe(true);
    expect(internals.routes.map((r) => [r.entryPoint, r.route.name, r.route.priority])).toEqual([
      ['web', 'acme-http@internal', Number.MAX_SAFE_INTEGER],
      ['open', 'acme-http-bypass@internal', 'PathPrefix(`/.well-known/acme-challenge/`)'.length],
    ]);
  });

  it("reads each enabled router's tls.certResolver, tls.domains and rule hosts", () => {
    const router = (name: string, rule: string, tls: unknown, status: 'enabled' | 'disabled' = 'enabled') =>
      ({
        name,
        origin: undefined,
        config: { rule, service: 's', middlewares: [], tls },
        status,
        errors: [],
        entryPoints: ['web'],
        rule: compileRule(rule),
      }) as unknown as RuntimeRouter<CompiledRule>;
    const runtime = {
      routers: new Map(
        [
          router('a@file', 'Host(`a.test`) || Host(`b.test`)', { certResolver: 'le' }),
          router('b@file', 'Host(`c.test`)', {
            certResolver: 'le',
            domains: [{ main: 'c.test', sans: ['d.test'] }],
          }),
          router('c@file', 'Host(`e.test`)', {}),
          router('d@file', 'Host(`f.test`)', undefined),
          router('e@file', 'Host(`g.test`)', { certResolver: 'le' }, 'disabled'),
        ].map((r) => [r.name, r]),
      ),
      services: new Map(),
      middlewares: new Map(),
      serversTransports: new Map(),
      errors: [],
    } as RuntimeConfig<CompiledRule>;
    expect(routerCertificateRequests(runtime)).toEqual([
      { routerName: 'a@file', certResolver: 'le', domains: undefined, hostsFromRule: ['a.test', 'b.test'] },
      {
        routerName: 'b@file',
        certResolver: 'le',
        domains: [{ main: 'c.test', sans: ['d.test'] }],
        hostsFromRule: ['c.test'],
      },
    ]);
  });
});

describe('the HTTP-01 responder', () => {
  it('answers a token only for the host it was issued for, and forgets it on clean-up', async () => {
    const responder = new HttpChallengeResponder();
    const server = createServer((req, res) =>
      responder.handler(req, res, newRequestContext('web', '127.0.0.1', false, req.url ?? '/', '')),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const fetchToken = (host: string, token: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        get(
          {
            port,
            host: '127.0.0.1',
            path: `/.well-known/acme-challenge/${token}`,
            headers: { host },
            agent: false,
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        ).once('error', reject);
      });
    try {
      responder.present('App.Example.test', 'tok-1', 'tok-1.thumbprint');
      expect(await fetchToken('app.example.test:80', 'tok-1')).toEqual({
        status: 200,
        body: 'tok-1.thumbprint',
      });
      expect((await fetchToken('other.example.test', 'tok-1')).status).toBe(404);
      expect((await fetchToken('app.example.test', 'tok-2')).status).toBe(404);
      responder.cleanUp('app.example.test', 'tok-1');
      expect((await fetchToken('app.example.test', 'tok-1')).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
