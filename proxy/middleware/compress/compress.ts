/**
 * compress: gzip, br or zstd (zstd where Node's zlib has it), chosen from Accept-Encoding by
 * negotiate-encoding.ts. The body streams through the compressor with backpressure; it is
 * never held whole. When the response does not say its length, the first
 * `minResponseBodyBytes` are held back to decide: a body that ends sooner goes out as it is.
 *
 * Never compressed: an already encoded body, HEAD answers, 1xx/204/304, server-sent events and
 * gRPC, types outside includedContentTypes or inside excludedContentTypes, and bodies shorter
 * than minResponseBodyBytes. `Vary: Accept-Encoding` is added whenever the choice depended on
 * the request.
 */
import type { ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { z } from 'zod';
import { addVary } from '../headers/headers.js';
import type { MiddlewareFactory } from '../middleware.js';
import { invalidOption, readMiddlewareOptions } from '../options/read-middleware-options.js';
import { captureResponse, type ResponseOut } from '../response-hooks/capture-response.js';
import { defaultEncodings, type Encoding, negotiateEncoding, shouldCompress } from './negotiate-encoding.js';

const encodingSchema = z.enum(['gzip', 'br', 'zstd']);

export const compressSchema = z.strictObject({
  excludedContentTypes: z.array(z.string()).default([]),
  includedContentTypes: z.array(z.string()).default([]),
  minResponseBodyBytes: z.number().int().nonnegative().default(1024),
  defaultEncoding: encodingSchema.optional(),
  encodings: z.array(encodingSchema).default([...defaultEncodings]),
});

export const compress: MiddlewareFactory = (_context, next, config, name) => {
  const options = readMiddlewareOptions(compressSchema, config, name, 'compress');
  if (options.excludedContentTypes.length > 0 && options.includedContentTypes.length > 0) {
    throw invalidOption(
      name,
      'compress.includedContentTypes',
      'includedContentTypes and excludedContentTypes cannot be used together.',
      'Keep one of the two lists.',
    );
  }
  const rules = {
    minResponseBodyBytes: options.minResponseBodyBytes,
    includedContentTypes: options.includedContentTypes,
    excludedContentTypes: options.excludedContentTypes,
  };
  return (req, res, ctx) => {
    const encoding = negotiateEncoding(
      req.headers['accept-encoding'],
      options.encodings,
      options.defaultEncoding,
    );
    compressResponse(res, encoding, req.method === 'HEAD', rules);
    next(req, res, ctx);
  };
};

type Rules = Parameters<typeof shouldCompress>[1];

function compressResponse(
  res: ServerResponse,
  encoding: Encoding | undefined,
  head: boolean,
  rules: Rules,
): void {
  let mode: 'pass' | 'hold' | 'compress' = 'pass';
  let held: Buffer[] = [];
  let heldBytes = 0;
  let compressor: Transform | undefined;
  let pendingTrailers: Parameters<ResponseOut['addTrailers']>[0] | undefined;

  const start = (out: ResponseOut) => {
    const stream = createCompressor(encoding as Encoding);
    compressor = stream;
    res.removeHeader('content-length');
    res.setHeader('content-encoding', encoding as Encoding);
    addVary(res, 'Accept-Encoding');
    out.writeHead(res.statusCode);
    stream.on('data', (chunk: Buffer) => {
      if (!out.write(chunk)) stream.pause();
    });
    res.on('drain', () => stream.resume());
    // The writer waits for 'drain' on res when the compressor's input is full.
    stream.on('drain', () => res.emit('drain'));
    stream.on('end', () => {
      if (pendingTrailers) out.addTrailers(pendingTrailers);
      out.end();
    });
    stream.on('error', () => res.destroy());
    mode = 'compress';
  };

  captureResponse(res, {
    head(r, out) {
      const status = r.statusCode;
      const encoded = r.getHeader('content-encoding');
      const noBody = head || status < 200 || status === 204 || status === 304;
      if (encoded === undefined || encoded === 'identity') addVary(r, 'Accept-Encoding');
      const lengthHeader = r.getHeader('content-length');
      const length = lengthHeader === undefined ? undefined : Number(lengthHeader);
      const candidate =
        !noBody &&
        encoding !== undefined &&
        shouldCompress(
          {
            contentType: r.getHeader('content-type') as string | undefined,
            contentEncoding: encoded as string | undefined,
            contentLength: length,
          },
          rules,
        );
      if (!candidate) {
        out.writeHead(status);
        return;
      }
      if (length !== undefined || rules.minResponseBodyBytes === 0) start(out);
      else mode = 'hold';
    },
    data(chunk, out) {
      if (mode === 'pass') return out.write(chunk);
      if (mode === 'compress') return (compressor as Transform).write(chunk);
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < rules.minResponseBodyBytes) return true;
      start(out);
      const body = Buffer.concat(held);
      held = [];
      return (compressor as Transform).write(body);
    },
    end(out, trailers) {
      if (mode === 'compress') {
        pendingTrailers = trailers;
        (compressor as Transform).end();
        return;
      }
      if (mode === 'hold') {
        // Too short to be worth compressing: send it as it came, now with its length.
        const body = Buffer.concat(held);
        res.setHeader('content-length', body.length);
        out.writeHead(res.statusCode);
        if (body.length > 0) out.write(body);
      }
      if (trailers) out.addTrailers(trailers);
      out.end();
    },
    flush(out) {
      if (mode !== 'hold') out.flushHeaders();
    },
  });
}

function createCompressor(encoding: Encoding): Transform {
  if (encoding === 'gzip') return zlib.createGzip();
  if (encoding === 'br') {
    // Quality 4 is brotli's usual on-the-fly setting: far faster than the default 11.
    return zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
  }
  const create = (zlib as unknown as { createZstdCompress: () => Transform }).createZstdCompress;
  return create();
}
