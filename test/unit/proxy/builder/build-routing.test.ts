import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildRouting } from '../../../../proxy/builder/build-routing.js';
import { UpstreamAgents } from '../../../../proxy/forward/upstream-agents.js';
import type { MiddlewareFactory } from '../../../../proxy/middleware/middleware.js';
import { supportedMiddlewareTypes } from '../../../../proxy/middleware/middleware.js';
import { compileRule } from '../../../../proxy/rules/compile-rule.js';
import { buildRuntimeConfig } from '../../../../proxy/runtime/runtime-config.js';
import { readProviderConfig } from '../../../../proxy/watcher/read-provider-config.js';

function runtimeOf(http: Record<string, unknown>) {
  const objects = readProviderConfig({ provider: 'file', documents: [{ value: { http } }] });
  return buildRuntimeConfig(objects, {
    entryPoints: [{ name: 'web', asDefault: true }],
    supportedMiddlewares: supportedMiddlewareTypes,
    internalServices: new Set(),
    compileRule,
  });
}

describe('buildRouting', () => {
  it('a middleware that fails for a later router also takes the routers built with it earlier out', () => {
    const runtime = runtimeOf({
      routers: {
        a: { rule: 'Path(`/a`)', service: 'app', middlewares: ['picky'] },
        b: { rule: 'Path(`/b`)', service: 'app', middlewares: ['picky'] },
        plain: { rule: 'Path(`/plain`)', service: 'app' },
      },
      middlewares: { picky: { headers: {} } },
      services: { app: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:9' }] } } },
    });
    // Builds for router a, refuses router b: the middleware cannot be half in service.
    const picky: MiddlewareFactory = (context, next) => {
      if (context.routerName === 'b@file') throw new Error('not for this router');
      return next;
    };
    const agents = new UpstreamAgents();
    const routing = buildRouting(runtime, {
      logger: pino({ level: 'silent' }),
      agents,
      entryPointMiddlewares: new Map(),
      keepConnectionHeaders: new Set(),
      internalServices: new Map(),
      internalRoutes: [],
      factories: { headers: picky },
    });
    try {
      expect(runtime.middlewares.get('picky@file')?.status).toBe('disabled');
      for (const router of ['a@file', 'b@file']) {
        expect(runtime.routers.get(router)?.status, router).toBe('disabled');
        expect(runtime.routers.get(router)?.errors[0]?.code, router).toBe('AFF_ERR_PROXY_DISABLED_REFERENCE');
      }
      expect(runtime.routers.get('plain@file')?.status).toBe('enabled');
      const index = routing.entryPoints.get('web');
      expect(index?.ordered.map((route) => route.name)).toEqual(['plain@file']);
    } finally {
      routing.close();
      agents.retainOnly(new Set());
    }
  });
});
