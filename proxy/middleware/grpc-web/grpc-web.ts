/**
 * grpcWeb: lets browsers call gRPC services. A gRPC-Web request (application/grpc-web,
 * +proto/+json, or the base64 -text variants) is sent upstream as gRPC (application/grpc,
 * `TE: trailers`); the answer's trailers (grpc-status, grpc-message, ...) come back as the
 * final gRPC-Web trailer frame, since browsers cannot read HTTP trailers. CORS preflights from
 * `allowOrigins` (`*` for any) are answered here.
 *
 * Limit: upstream connections are HTTP/1.1, so the gRPC server must accept gRPC over
 * HTTP/1.1 with chunked trailers; servers that only speak HTTP/2 (most gRPC stacks) cannot be
 * reached yet. Other requests pass through untouched.
 */
import type { ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import {
  removeRequestHeader,
  requestHeader,
  setRequestHeader,
} from '../request-headers/edit-request-headers.js';
import { captureResponse } from '../response-hooks/capture-response.js';

export const grpcWebSchema = z.strictObject({
  allowOrigins: z.array(z.string()).default([]),
});

const exposed = 'grpc-status,grpc-message,grpc-status-details-bin';

export const grpcWeb: MiddlewareFactory = (_context, next, config, name) => {
  const { allowOrigins } = readMiddlewareOptions(grpcWebSchema, config, name, 'grpcWeb');
  const anyOrigin = allowOrigins.includes('*');
  const allowed = (origin: string) => origin !== '' && (anyOrigin || allowOrigins.includes(origin));
  return (req, res, ctx) => {
    const origin = requestHeader(req, 'origin');
    if (req.method === 'OPTIONS' && requestHeader(req, 'access-control-request-method') !== '') {
      if (allowed(origin)) {
        res.writeHead(204, {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers':
            requestHeader(req, 'access-control-request-headers') || 'content-type,x-grpc-web,x-user-agent',
          'access-control-max-age': '600',
          vary: 'Origin',
        });
      } else res.writeHead(403, { 'content-length': 0 });
      res.end();
      return;
    }
    const type = requestHeader(req, 'content-type');
    if (req.method !== 'POST' || !type.startsWith('application/grpc-web')) {
      next(req, res, ctx);
      return;
    }
    const text = type.startsWith('application/grpc-web-text');
    const suffix = type.slice(text ? 'application/grpc-web-text'.length : 'application/grpc-web'.length);
    setRequestHeader(req, 'content-type', `application/grpc${suffix}`);
    setRequestHeader(req, 'te', 'trailers');
    if (text) {
      removeRequestHeader(req, 'content-length');
      ctx.body = req.pipe(base64Decoder());
    }
    translateResponse(res, text, allowed(origin) ? origin : undefined);
    next(req, res, ctx);
  };
};

function translateResponse(res: ServerResponse, text: boolean, origin: string | undefined): void {
  let rest: Buffer = Buffer.alloc(0);
  const encode = (chunk: Buffer, final: boolean): Buffer => {
    if (!text) return chunk;
    const all = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const usable = final ? all.length : all.length - (all.length % 3);
    rest = all.subarray(usable);
    return Buffer.from(all.subarray(0, usable).toString('base64'));
  };
  captureResponse(res, {
    head(r, out) {
      const type = String(r.getHeader('content-type') ?? '');
      if (type.startsWith('application/grpc')) {
        const suffix = type.slice('application/grpc'.length);
        r.setHeader('content-type', `application/grpc-web${text ? '-text' : ''}${suffix}`);
      }
      r.removeHeader('content-length');
      r.removeHeader('trailer');
      if (origin) {
        r.setHeader('access-control-allow-origin', origin);
        r.setHeader('access-control-expose-headers', exposed);
      }
      out.writeHead(r.statusCode);
    },
    data(chunk, out) {
      const encoded = encode(chunk, false);
      return encoded.length === 0 ? true : out.write(encoded);
    },
    end(out, trailers) {
      const frame = trailers ? trailerFrame(trailers) : Buffer.alloc(0);
      const tail = encode(frame, true);
      if (tail.length > 0) out.write(tail);
      out.end();
    },
    flush: (out) => out.flushHeaders(),
  });
}

/** The gRPC-Web trailer frame: flag 0x80, a 32-bit length, then `name: value\r\n` lines. */
export function trailerFrame(trailers: Record<string, unknown>): Buffer {
  let block = '';
  for (const [name, value] of Object.entries(trailers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value])
      block += `${name.toLowerCase()}: ${String(v)}\r\n`;
  }
  const body = Buffer.from(block);
  const head = Buffer.alloc(5);
  head[0] = 0x80;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Decodes base64 that arrives in arbitrary pieces (grpc-web-text request bodies). */
function base64Decoder(): Transform {
  let rest = '';
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const all = rest + chunk.toString('ascii').replace(/\s+/g, '');
      const usable = all.length - (all.length % 4);
      rest = all.slice(usable);
      callback(null, Buffer.from(all.slice(0, usable), 'base64'));
    },
    flush(callback) {
      callback(null, rest.length > 0 ? Buffer.from(rest, 'base64') : undefined);
    },
  });
}
