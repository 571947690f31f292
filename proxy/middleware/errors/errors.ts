/**
 * errors: when the service answers with a status in `status`, the client gets the page that
 * `service` serves at `query` instead (`{status}`, `{originalStatus}` and `{url}` filled in),
 * with the original status, or the one `statusRewrites` maps it to. The page request is a
 * GET with the client's headers; the service's own answer is dropped (its body is not read
 * into memory, only discarded as it arrives).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { qualifyReference } from '../../watcher/qualified-name.js';
import type { Handler, RequestContext } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { invalidOption, readMiddlewareOptions } from '../options/read-middleware-options.js';
import { captureResponse, type ResponseOut } from '../response-hooks/capture-response.js';
import { bodilessGet, detachedResponse } from '../response-hooks/detached-response.js';
import { inRanges, parseStatusRanges, type StatusRanges } from './status-ranges.js';

const statusEntry = z.union([z.string(), z.number().int()]);

export const errorsSchema = z.strictObject({
  status: z.array(statusEntry).min(1, { message: 'errors needs at least one status, such as "500-599"' }),
  service: z.string().min(1, { message: 'errors needs the service that serves the error pages' }),
  query: z.string().default('/'),
  statusRewrites: z
    .record(
      z.string(),
      z.union([
        z.number().int(),
        z
          .string()
          .regex(/^\d{3}$/)
          .transform(Number),
      ]),
    )
    .default({}),
});

export const errors: MiddlewareFactory = (context, next, config, name) => {
  const options = readMiddlewareOptions(errorsSchema, config, name, 'errors');
  const status = parseStatusRanges(options.status);
  if ('bad' in status) {
    throw invalidOption(
      name,
      'errors.status',
      `"${status.bad}" is not a status code or range.`,
      'Write "404", "500-599" or "500,502".',
    );
  }
  const rewrites: { from: StatusRanges; to: number }[] = [];
  for (const [key, to] of Object.entries(options.statusRewrites)) {
    const from = parseStatusRanges([key]);
    if ('bad' in from || to < 100 || to > 599) {
      throw invalidOption(
        name,
        `errors.statusRewrites.${key}`,
        `"${key}": ${to} is not a status rewrite.`,
        'Write "418": 404 or "502-504": 500.',
      );
    }
    rewrites.push({ from, to });
  }
  // `service: x` means x of this middleware's provider, as a router's `service` does.
  const pages = context.service(qualifyReference(options.service, name));
  const query = `/${options.query.replace(/^\/+/, '')}`;
  return (req, res, ctx) => {
    interceptErrors(req, res, ctx, { status, rewrites, pages, query });
    next(req, res, ctx);
  };
};

interface ErrorsPlan {
  status: StatusRanges;
  rewrites: { from: StatusRanges; to: number }[];
  pages: Handler;
  query: string;
}

function interceptErrors(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  plan: ErrorsPlan,
): void {
  // The URL as the client sent it, taken before later middlewares rewrite the path.
  const url = `${ctx.path}${ctx.search}`;
  let replaced = false;
  captureResponse(res, {
    head(r, out) {
      const original = r.statusCode;
      if (!inRanges(original, plan.status)) {
        out.writeHead(original);
        return;
      }
      replaced = true;
      const code = plan.rewrites.find((rw) => inRanges(original, rw.from))?.to ?? original;
      for (const header of r.getHeaderNames()) r.removeHeader(header);
      fetchPage(req, res, ctx, plan, out, { code, original, url });
    },
    data: (chunk, out) => (replaced ? true : out.write(chunk)),
    end(out, trailers) {
      if (replaced) return;
      if (trailers) out.addTrailers(trailers);
      out.end();
    },
    flush(out) {
      if (!replaced) out.flushHeaders();
    },
  });
}

function fetchPage(
  req: IncomingMessage,
  client: ServerResponse,
  ctx: RequestContext,
  plan: ErrorsPlan,
  out: ResponseOut,
  page: { code: number; original: number; url: string },
): void {
  const target = plan.query
    .replaceAll('{status}', String(page.code))
    .replaceAll('{originalStatus}', String(page.original))
    .replaceAll('{url}', encodeURIComponent(page.url));
  const question = target.indexOf('?');
  const pageCtx: RequestContext = {
    ...ctx,
    path: question < 0 ? target : target.slice(0, question),
    search: question < 0 ? '' : target.slice(question),
    body: undefined,
  };
  const pageReq = bodilessGet(req);
  const pageRes = detachedResponse(pageReq, client, {
    head(r) {
      for (const [header, value] of Object.entries(r.getHeaders())) {
        if (value !== undefined) client.setHeader(header, value);
      }
      out.writeHead(page.code);
    },
    data: (chunk) => out.write(chunk),
    end() {
      out.end();
    },
    flush() {
      out.flushHeaders();
    },
  });
  plan.pages(pageReq, pageRes, pageCtx);
}
