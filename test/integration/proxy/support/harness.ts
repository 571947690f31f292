/**
 * Starts the real proxy on port 0 against real upstream servers, with routing config written
 * to a temporary directory watched by the file provider.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { staticConfigSchema } from '../../../../proxy/config/static-schema.js';
import { type RunningProxy, startProxy } from '../../../../proxy/proxy-app.js';
import type { CompiledRule } from '../../../../proxy/rules/compile-rule.js';
import type { RuntimeConfig } from '../../../../proxy/runtime/runtime-config.js';

export interface Upstream {
  server: Server;
  url: string;
  port: number;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

export async function startUpstream(
  handler: (req: IncomingMessage, res: ServerResponse) => void = echo,
): Promise<Upstream> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with what it received: method, url, headers and body length. */
export function echo(req: IncomingMessage, res: ServerResponse): void {
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
  });
  req.on('end', () => {
    const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, size });
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'echo' });
    res.end(body);
  });
}

export interface TestProxy {
  proxy: RunningProxy;
  dir: string;
  url: (entryPoint?: string) => string;
  port: (entryPoint?: string) => number;
  logs: string[];
  /** Resolves with the next log line that matches. */
  waitForLog(pattern: RegExp): Promise<string>;
  /** Writes a dynamic config file (atomically, via rename) and waits until it is applied. */
  write(file: string, config: unknown): Promise<RuntimeConfig<CompiledRule>>;
  close(): Promise<void>;
}

export async function startTestProxy(
  options: {
    static?: Record<string, unknown>;
    dynamic?: Record<string, unknown>;
    /** More providers next to the file provider, e.g. `{ plugin: { demo: {...} } }`. */
    providers?: Record<string, unknown>;
  } = {},
): Promise<TestProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'affineur-proxy-'));
  if (options.dynamic) writeFileSync(join(dir, 'dynamic.yml'), stringify(options.dynamic));
  const config = staticConfigSchema.parse({
    entryPoints: { web: { address: '127.0.0.1:0' } },
    providers: {
      providersThrottleDuration: 0,
      file: { directory: dir, watch: true },
      ...options.providers,
    },
    ...options.static,
  });
  const logs: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const line = chunk.toString();
      logs.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
      callback();
    },
  });
  const proxy = await startProxy(config, { logger: pino({ level: 'info' }, sink) });
  const port = (entryPoint = 'web') => proxy.addresses.get(entryPoint)?.port ?? 0;
  return {
    proxy,
    dir,
    port,
    url: (entryPoint = 'web') => `http://127.0.0.1:${port(entryPoint)}`,
    logs,
    waitForLog: (pattern) =>
      new Promise((resolve) => {
        waiters.push({ pattern, resolve });
      }),
    write(file, value) {
      return new Promise((resolve) => {
        proxy.onApplied(resolve);
        const temp = join(dir, `.${file}.tmp`);
        writeFileSync(temp, stringify(value));
        renameSync(temp, join(dir, file));
      });
    },
    async close() {
      await proxy.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One router per middleware, named after it and matching `/<name>` (or `rule(name)`), all to
 * one service: each middleware is exercised, and fails, on its own router.
 */
export function routerPerMiddleware(
  middlewares: Record<string, unknown>,
  upstreamUrl: string,
  rule: (name: string) => string = (name) => `PathPrefix(\`/${name}\`)`,
) {
  return {
    http: {
      routers: Object.fromEntries(
        Object.keys(middlewares).map((name) => [
          name,
          { rule: rule(name), service: 'app', middlewares: [name] },
        ]),
      ),
      middlewares,
      services: { app: { loadBalancer: { servers: [{ url: upstreamUrl }] } } },
    },
  };
}

/** A one-router, one-service config sending every request to the given upstream URLs. */
export function simpleRoute(
  urls: string[],
  service: Record<string, unknown> = {},
  router: Record<string, unknown> = {},
) {
  return {
    http: {
      routers: { main: { rule: 'PathPrefix(`/`)', service: 'app', ...router } },
      services: { app: { loadBalancer: { servers: urls.map((url) => ({ url })), ...service } } },
    },
  };
}

/** A GET through node:http, which sends any header as given (undici refuses some hop-by-hop ones). */
export function nodeGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
