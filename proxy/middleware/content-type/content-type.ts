/**
 * contentType: when the service sends a body without Content-Type, sets one sniffed from the
 * first bytes (Traefik v3 sniffs only on routers that use this middleware). `autoDetect` is
 * deprecated in Traefik v3: it is accepted with a warning, and `autoDetect: false` turns the
 * detection off as it always did.
 */
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { captureResponse } from '../response-hooks/capture-response.js';
import { sniffContentType } from './sniff-content-type.js';

export const contentTypeSchema = z.strictObject({
  autoDetect: z.boolean().optional(),
});

export const contentType: MiddlewareFactory = (context, next, config, name) => {
  const options = readMiddlewareOptions(contentTypeSchema, config, name, 'contentType');
  if (options.autoDetect !== undefined) {
    context.logger.warn(
      { middleware: name },
      'contentType.autoDetect is deprecated (Traefik v3); an empty contentType middleware enables detection',
    );
  }
  if (options.autoDetect === false) return next;
  return (req, res, ctx) => {
    if (req.method !== 'HEAD') {
      let waiting = false;
      captureResponse(res, {
        head(r, out) {
          const status = r.statusCode;
          if (r.hasHeader('content-type') || status === 204 || status === 304 || status < 200)
            out.writeHead(status);
          else waiting = true;
        },
        data(chunk, out) {
          if (waiting) {
            waiting = false;
            res.setHeader('content-type', sniffContentType(chunk));
            out.writeHead(res.statusCode);
          }
          return out.write(chunk);
        },
        end(out, trailers) {
          if (waiting) out.writeHead(res.statusCode);
          if (trailers) out.addTrailers(trailers);
          out.end();
        },
        flush(out) {
          if (!waiting) out.flushHeaders();
        },
      });
    }
    next(req, res, ctx);
  };
};
