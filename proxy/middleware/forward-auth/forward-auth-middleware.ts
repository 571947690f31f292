/**
 * Traefik's forwardAuth: each request is first asked of an authentication server. A 2xx answer
 * lets the request through (with the auth server's chosen headers and cookies added); any other
 * answer is returned to the client as it is, body included, with a relative `Location` resolved
 * against the auth server unless `preserveLocationHeader` is set.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { notSupportedYet } from '../../../src/config/unsupported.js';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import { type CompiledRegexp, compileGoRegexp } from '../../rules/go-regexp.js';
import { clientTlsOptions, clientTlsSchema } from '../client-tls/client-tls.js';
import type { Handler, RequestContext } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { sendPlain } from '../plain-response.js';
import { removeRequestHeader, setRequestHeader } from '../request-headers/edit-request-headers.js';
import { authRequestHeaders } from './auth-request-headers.js';
import { cookieName, keepAuthCookies } from './auth-response-cookies.js';

export const forwardAuthOptionsSchema = z.strictObject({
  address: z.url({
    protocol: /^https?$/,
    message: 'expected the http:// or https:// URL of the authentication server',
  }),
  tls: clientTlsSchema.optional(),
  trustForwardHeader: z.boolean().default(false),
  authResponseHeaders: z.array(z.string()).default([]),
  authResponseHeadersRegex: z.string().default(''),
  authRequestHeaders: z.array(z.string()).default([]),
  addAuthCookiesToResponse: z.array(z.string()).default([]),
  headerField: z.string().default(''),
  forwardBody: z.boolean().default(false),
  maxBodySize: z.number().int().min(-1).default(-1),
  preserveLocationHeader: z.boolean().default(false),
  preserveRequestMethod: z.boolean().default(false),
  maxResponseBodySize: notSupportedYet('forwardAuth.maxResponseBodySize'),
});

type ForwardAuthOptions = z.output<typeof forwardAuthOptionsSchema>;

// As Traefik's auth client: the whole exchange with the auth server must fit in 30 seconds.
const authTimeoutMs = 30_000;
const responseHopByHop = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export const forwardAuthMiddleware: MiddlewareFactory = (context, next, rawOptions, name) => {
  const options = readMiddlewareOptions(forwardAuthOptionsSchema, rawOptions, name, 'forwardAuth');
  const keyPath = `http.middlewares.${name}.forwardAuth`;
  const regex =
    options.authResponseHeadersRegex === '' ? undefined : compileGoRegexp(options.authResponseHeadersRegex);
  if (regex && 'problem' in regex) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', regex.problem, {
      keyPath: `${keyPath}.authResponseHeadersRegex`,
      hint: 'Write a Go (RE2) regular expression, such as "^X-".',
    });
  }
  const agent = new Agent({
    connect: options.tls ? clientTlsOptions(options.tls, `${keyPath}.tls`) : {},
    headersTimeout: authTimeoutMs,
    bodyTimeout: authTimeoutMs,
  });
  context.signal.addEventListener('abort', () => void agent.close(), { once: true });
  const authUrl = new URL(options.address);
  const authCookies = new Set(options.addAuthCookiesToResponse);

  const ask = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext, body: Buffer | undefined) => {
    const headers = authRequestHeaders(
      {
        method: req.method ?? 'GET',
        rawHeaders: req.rawHeaders,
        host: req.headers.host ?? '',
        uri: ctx.path + ctx.search,
        clientAddress: ctx.clientAddress,
        proto: 'http',
        trusted: options.trustForwardHeader && ctx.trustForwarded,
      },
      options.authRequestHeaders,
    );
    if (body !== undefined) headers.push('content-length', String(body.length));
    const method = options.preserveRequestMethod ? (req.method ?? 'GET') : 'GET';
    request(authUrl, {
      method: method as 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
      dispatcher: agent,
      signal: AbortSignal.timeout(authTimeoutMs),
    })
      .then(async (answer) => {
        const payload = Buffer.from(await answer.body.arrayBuffer());
        if (res.destroyed) return;
        if (answer.statusCode < 200 || answer.statusCode >= 300) {
          refuse(res, answer.statusCode, answer.headers, payload);
          return;
        }
        admit(req, res, ctx, answer.headers);
      })
      .catch((error: unknown) => {
        context.logger.warn(
          { err: error, middleware: name, address: options.address },
          'forwardAuth could not reach the authentication server',
        );
        sendPlain(res, 500, 'Internal Server Error');
      });
  };

  const refuse = (
    res: ServerResponse,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [header, value] of Object.entries(headers)) {
      if (value === undefined || responseHopByHop.has(header) || header === 'content-length') continue;
      res.setHeader(header, value);
    }
    const location = headers.location;
    if (typeof location === 'string' && !options.preserveLocationHeader) {
      // Go's Response.Location(): a relative Location is relative to the auth server's URL.
      res.setHeader('location', new URL(location, authUrl).toString());
    }
    res.setHeader('content-length', body.length);
    res.writeHead(status);
    res.end(body);
  };

  const admit = (
    req: IncomingMessage,
    res: ServerResponse,
    ctx: RequestContext,
    headers: Record<string, string | string[] | undefined>,
  ) => {
    copyAuthHeaders(req, ctx, headers, options, regex);
    if (authCookies.size > 0) {
      const fromAuth = asList(headers['set-cookie']).filter((cookie) => authCookies.has(cookieName(cookie)));
      keepAuthCookies(res, authCookies, fromAuth);
    }
    next(req, res, ctx);
  };

  const handler: Handler = (req, res, ctx) => {
    if (!options.forwardBody) {
      ask(req, res, ctx, undefined);
      return;
    }
    readBody(req, ctx, options.maxBodySize).then(
      (body) => {
        if (body === 'too large') {
          sendPlain(res, 401, 'Unauthorized');
          return;
        }
        // The body is read now; the service gets the same bytes.
        ctx.body = body;
        ask(req, res, ctx, body);
      },
      () => res.destroy(),
    );
  };
  return handler;
};

function copyAuthHeaders(
  req: IncomingMessage,
  ctx: RequestContext,
  headers: Record<string, string | string[] | undefined>,
  options: ForwardAuthOptions,
  regex: CompiledRegexp | undefined,
): void {
  for (const header of options.authResponseHeaders) {
    const value = headers[header.toLowerCase()];
    if (value === undefined) removeRequestHeader(req, header);
    else setRequestHeader(req, header, asList(value));
  }
  if (regex) {
    // Traefik matches the canonical header spelling (X-Auth-User), so match that here too.
    for (const existing of Object.keys(req.headers)) {
      if (regex.test(canonical(existing))) removeRequestHeader(req, existing);
    }
    for (const [header, value] of Object.entries(headers)) {
      if (value !== undefined && regex.test(canonical(header)))
        setRequestHeader(req, canonical(header), asList(value));
    }
  }
  if (options.headerField !== '') {
    // As Traefik, this auth-response header names the user in the access log; it also goes
    // to the service.
    const user = headers[options.headerField.toLowerCase()];
    if (user !== undefined) {
      const name = asList(user)[0] as string;
      ctx.clientUsername = name;
      setRequestHeader(req, options.headerField, name);
    }
  }
}

async function readBody(
  req: IncomingMessage,
  ctx: RequestContext,
  max: number,
): Promise<Buffer | 'too large'> {
  if (Buffer.isBuffer(ctx.body)) return max >= 0 && ctx.body.length > max ? 'too large' : ctx.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of (ctx.body ?? req) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (max >= 0 && size > max) return 'too large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function canonical(header: string): string {
  return header
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}
