/**
 * buffering: reads the whole request before sending it to the service, and the whole
 * response before sending it to the client (Traefik's buffering, after oxy). Bodies stay in
 * memory up to mem*BodyBytes and spill to a temporary file beyond; past max*BodyBytes (0 =
 * no limit) the request gets 413 and an oversized response becomes 500. With
 * `retryExpression`, an answer that matches is thrown away and the request sent again (at most
 * 10 attempts), which is safe because nothing has reached the client yet.
 */
import { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Handler, RequestContext } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { invalidOption, readMiddlewareOptions } from '../options/read-middleware-options.js';
import { removeRequestHeader, setRequestHeader } from '../request-headers/edit-request-headers.js';
import { detachedResponse } from '../response-hooks/detached-response.js';
import { compileRetryExpression, type RetryPredicate } from './retry-expression.js';
import { SpooledBody } from './spooled-body.js';

const bytes = z.number().int().nonnegative();

export const bufferingSchema = z.strictObject({
  maxRequestBodyBytes: bytes.default(0),
  memRequestBodyBytes: bytes.default(1_048_576),
  maxResponseBodyBytes: bytes.default(0),
  memResponseBodyBytes: bytes.default(1_048_576),
  retryExpression: z.string().default(''),
});

type BufferingOptions = z.output<typeof bufferingSchema>;

/** oxy's cap on attempts, whatever the expression says. */
const maxAttempts = 10;

export const buffering: MiddlewareFactory = (_context, next, config, name) => {
  const options = readMiddlewareOptions(bufferingSchema, config, name, 'buffering');
  let retry: RetryPredicate | undefined;
  if (options.retryExpression.trim() !== '') {
    try {
      retry = compileRetryExpression(options.retryExpression);
    } catch (error) {
      const message = (error as Error).message.replace(/^AFF_ERR_[A-Z_]+: /, '');
      throw invalidOption(name, 'buffering.retryExpression', message);
    }
  }
  return (req, res, ctx) => {
    readRequest(req, res, options, (body) => {
      if (body) {
        setRequestHeader(req, 'content-length', String(body.size));
        removeRequestHeader(req, 'transfer-encoding');
      }
      attempt(req, res, ctx, next, options, retry, body, 1);
    });
  };
};

function readRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: BufferingOptions,
  done: (body: SpooledBody | undefined) => void,
): void {
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) {
    done(undefined);
    return;
  }
  const max = options.maxRequestBodyBytes;
  if (max > 0 && length !== undefined && Number(length) > max) {
    refuse(res, 413);
    return;
  }
  const body = new SpooledBody(options.memRequestBodyBytes);
  let refused = false;
  res.once('close', () => body.dispose());
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    if (max > 0 && body.size + chunk.length > max) {
      refused = true;
      refuse(res, 413);
      return;
    }
    if (!body.append(chunk)) {
      req.pause();
      body.drained(() => req.resume());
    }
  });
  req.on('end', () => {
    if (refused) return;
    body.finish().then(
      () => done(body),
      () => refuse(res, 500),
    );
  });
}

function attempt(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  next: Handler,
  options: BufferingOptions,
  retry: RetryPredicate | undefined,
  body: SpooledBody | undefined,
  number: number,
): void {
  if (res.destroyed) return;
  const answer = new SpooledBody(options.memResponseBodyBytes);
  let status = 0;
  let headers: OutgoingHttpHeaders = {};
  let tooLarge = false;
  const max = options.maxResponseBodyBytes;
  const capture = detachedResponse(req, res, {
    head(r) {
      status = r.statusCode;
      headers = r.getHeaders();
    },
    data(chunk) {
      if (tooLarge) return true;
      if (max > 0 && answer.size + chunk.length > max) {
        tooLarge = true;
        return true;
      }
      return answer.append(chunk);
    },
    end() {
      answer.finish().then(
        () => {
          if (tooLarge) {
            answer.dispose();
            refuse(res, 500);
            return;
          }
          const again =
            retry !== undefined &&
            number < maxAttempts &&
            retry({ attempts: number, responseCode: status, method: req.method ?? 'GET' });
          if (again) {
            answer.dispose();
            ctx.retryAttempts = number;
            attempt(req, res, ctx, next, options, retry, body, number + 1);
            return;
          }
          send(res, status, headers, answer);
        },
        () => refuse(res, 500),
      );
    },
  });
  ctx.body = body?.read();
  next(req, capture, ctx);
}

function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, answer: SpooledBody): void {
  for (const [header, value] of Object.entries(headers)) {
    if (value !== undefined && header !== 'transfer-encoding') res.setHeader(header, value);
  }
  res.setHeader('content-length', answer.size);
  res.writeHead(status);
  const content = answer.read();
  if (Buffer.isBuffer(content)) {
    res.end(content);
    answer.dispose();
    return;
  }
  const stream = content as Readable;
  stream.pipe(res);
  stream.once('close', () => answer.dispose());
  res.once('close', () => stream.destroy());
}

function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Go's wording for 413, which Traefik users match on; Node says "Payload Too Large".
  const text = status === 413 ? 'Request Entity Too Large' : (STATUS_CODES[status] ?? '');
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(status === 413 ? { connection: 'close' } : {}),
  });
  res.end(text);
}
