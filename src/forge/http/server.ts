/**
 * The forge's HTTP front: REST under `/api/v3` (the GitHub Enterprise base-URL shape) and git
 * smart HTTP under `/{owner}/{repo}.git`. Every change-making REST call runs inside the state
 * store's write queue, so concurrent requests see and make changes one at a time.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolvePrincipal } from '../auth/principal.js';
import type { ApiRequest, ApiResponse, ForgeContext, Route } from '../forge-context.js';
import { ApiError, notFound } from './api-error.js';
import { closeIdleSocketsSafely } from './idle-sockets.js';
import { readBody } from './read-body.js';
import { Router } from './router.js';

export interface GitHttpHandler {
  handle(req: IncomingMessage, res: ServerResponse, owner: string, repo: string, rest: string): Promise<void>;
}

export interface ServerOptions {
  ctx: ForgeContext;
  routes: Route[];
  /** Browser pages outside `/api/v3` (the app registration pages); their bodies are forms. */
  pages?: Route[];
  git: GitHttpHandler;
  /** REST bodies larger than this are refused with 413. */
  maxBodyBytes?: number;
  /** How long an idle keep-alive connection stays open; Node's 5 s when omitted. */
  keepAliveTimeoutMs?: number;
}

const gitPath = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

export function createForgeServer(options: ServerOptions): Server {
  const router = new Router<Route>();
  for (const route of options.routes) router.add(route.method, route.path, route);
  const pages = new Router<Route>();
  for (const route of options.pages ?? []) pages.add(route.method, route.path, route);
  const limit = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const { ctx } = options;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://forge.invalid');
    const git = gitPath.exec(url.pathname);
    if (git) {
      options.git.handle(req, res, git[1] ?? '', git[2] ?? '', git[3] ?? '').catch((error: unknown) => {
        ctx.logger.error({ err: error }, 'git request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('git request failed\n');
      });
      return;
    }
    if (!isApiPath(url.pathname)) {
      handlePage(ctx, pages, limit, req, url)
        .then((response) => send(res, response))
        .catch((error: unknown) => {
          if (!(error instanceof ApiError))
            ctx.logger.error({ err: error, path: url.pathname }, 'forge page failed');
          send(res, toErrorPage(error));
        });
      return;
    }
    handleApi(ctx, router, limit, req, url)
      .then((response) => send(res, response))
      .catch((error: unknown) => {
        if (!(error instanceof ApiError))
          ctx.logger.error({ err: error, path: url.pathname }, 'forge route failed');
        send(res, toErrorResponse(error));
      });
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  closeIdleSocketsSafely(server);
  return server;
}

const apiPrefix = '/api/v3';
const isApiPath = (path: string) => path === apiPrefix || path.startsWith(`${apiPrefix}/`);

/** A browser page: as a REST route, but its body is a form and its errors are plain text. */
async function handlePage(
  ctx: ForgeContext,
  pages: Router<Route>,
  limit: number,
  req: IncomingMessage,
  url: URL,
): Promise<ApiResponse> {
  const method = (req.method ?? 'GET').toUpperCase();
  const match = pages.match(method, url.pathname);
  if (match === undefined) throw notFound();
  if (match === 'method') throw new ApiError(405, 'Method Not Allowed');
  const raw = await readBody(req, limit);
  const type = String(req.headers['content-type'] ?? '');
  const form = type.startsWith('application/x-www-form-urlencoded')
    ? Object.fromEntries(new URLSearchParams(raw.toString('utf8')))
    : {};
  const request: ApiRequest = {
    method,
    path: url.pathname,
    params: match.params,
    query: url.searchParams,
    body: form,
    principal: resolvePrincipal(ctx.store.state, req.headers.authorization, ctx.now()),
    headers: req.headers,
  };
  const run = async () => match.handler.handle(ctx, request);
  return method === 'GET' ? run() : ctx.store.write(run);
}

function toErrorPage(error: unknown): ApiResponse {
  const status = error instanceof ApiError ? error.status : 500;
  const message = error instanceof ApiError ? error.message : 'Server Error';
  return {
    status,
    body: Buffer.from(`${status} ${message}\n`),
    headers: {
      ...(error instanceof ApiError ? error.headers : {}),
      'content-type': 'text/plain; charset=utf-8',
    },
  };
}

async function handleApi(
  ctx: ForgeContext,
  router: Router<Route>,
  limit: number,
  req: IncomingMessage,
  url: URL,
): Promise<ApiResponse> {
  const path = url.pathname.slice(apiPrefix.length) || '/';
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = await readBody(req, limit);
  const principal = resolvePrincipal(ctx.store.state, req.headers.authorization, ctx.now());
  if (path === '/' && method === 'GET') {
    return {
      status: 200,
      body: {
        current_user_url: `${ctx.urls.api}/user`,
        repository_url: `${ctx.urls.api}/repos/{owner}/{repo}`,
      },
    };
  }
  const match = router.match(method, path);
  if (match === undefined || match === 'method') throw notFound();
  const request: ApiRequest = {
    method,
    path,
    params: match.params,
    query: url.searchParams,
    body: parseJson(raw),
    principal,
    headers: req.headers,
  };
  const run = async () => match.handler.handle(ctx, request);
  return method === 'GET' ? run() : ctx.store.write(run);
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'Problems parsing JSON');
  }
}

function toErrorResponse(error: unknown): ApiResponse {
  if (error instanceof ApiError)
    return { status: error.status, body: error.toBody(), headers: error.headers };
  return {
    status: 500,
    body: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest', status: '500' },
  };
}

function send(res: ServerResponse, response: ApiResponse): void {
  const headers: Record<string, string> = {
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomUUID(),
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...response.headers,
  };
  if (Buffer.isBuffer(response.body)) {
    // Raw media types (file contents): the route sets the content type.
    res.writeHead(response.status, { ...headers, 'content-length': String(response.body.length) });
    res.end(response.body);
    return;
  }
  if (response.body === undefined || response.status === 204) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
