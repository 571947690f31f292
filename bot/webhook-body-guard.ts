/**
 * The webhook endpoint's front door, ahead of Probot. GitHub caps a delivery at 25 MB, and a
 * signed delivery is the only kind worth reading, so this refuses, before anything is buffered:
 * a delivery without a signature, and one whose `Content-Length` is over the cap. It then reads
 * the body counting bytes (a chunked upload has no length to check) and stops at the cap,
 * verifies the HMAC signature itself, and hands Probot only verified bodies.
 *
 * A refused delivery is logged once, in one line of bounded size (delivery id, event, reason,
 * size, client address), never with its body; Probot's own error logging, which would include
 * the payload (and did, three times per refused delivery), never sees one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Logger } from '../src/log/logger.js';

/** GitHub's documented cap on a webhook payload. */
export const githubWebhookMaxBytes = 25 * 1024 * 1024;

export interface WebhookGuardOptions {
  path: string;
  secret: string;
  log: Pick<Logger, 'warn'>;
  maxBytes?: number;
}

/** Truncated and stripped of control characters: a header's share of the log line is bounded. */
function shortHeader(value: string | string[] | undefined, max = 80): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * Resolves to true when it answered the request itself (a refusal), false when the request goes
 * on to Probot, then with `req.body` holding the verified payload text.
 */
export function webhookBodyGuard(options: WebhookGuardOptions) {
  const maxBytes = options.maxBytes ?? githubWebhookMaxBytes;
  const path = pathOf(options.path);
  return async (req: IncomingMessage, _res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'POST' || pathOf(req.url) !== path) return false;
    const refuse = (status: number, reason: string, bytes: number | undefined) => {
      options.log.warn(
        {
          delivery: shortHeader(req.headers['x-github-delivery']),
          event: shortHeader(req.headers['x-github-event']),
          reason,
          status,
          ...(bytes !== undefined ? { bytes } : {}),
          remote: req.socket.remoteAddress,
        },
        'webhook delivery refused',
      );
      answerAndHangUp(req, status, JSON.stringify({ message: reason }));
      return true;
    };

    const signature = shortHeader(req.headers['x-hub-signature-256'], 200);
    if (!signature) return refuse(401, 'no X-Hub-Signature-256 header', undefined);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes)
      return refuse(413, `body over the ${maxBytes}-byte cap`, declared);

    const body = await readCapped(req, maxBytes);
    if (body === 'too-large') return refuse(413, `body over the ${maxBytes}-byte cap`, maxBytes + 1);
    if (body === 'aborted') {
      req.destroy();
      return true;
    }
    if (!signatureMatches(options.secret, body, signature))
      return refuse(401, 'signature does not match', body.length);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return refuse(400, 'body is not UTF-8', body.length);
    }
    // @octokit/webhooks reads a string `body` instead of the (already consumed) stream.
    (req as IncomingMessage & { body?: string }).body = text;
    return false;
  };
}

/**
 * Answers on the raw socket and never reads the rest of the body. Through `res`, node would read
 * and drop the unread body once the answer is sent (`_dump`), at full speed: that raised the
 * peak RSS by some 15 MB per 30 MB body, in garbage. A paused socket lets TCP flow control stop
 * the sender instead. Closing at once would make the kernel reset a socket with unread data,
 * and the client could lose the answer; so it gets a few seconds to read it and hang up.
 */
function answerAndHangUp(req: IncomingMessage, status: number, body: string, lingerMs = 5_000) {
  const socket = req.socket;
  socket.pause();
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ].join('\r\n');
  socket.write(`${head}\r\n\r\n${body}`);
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
  } catch {
    return '';
  }
}

function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (value: Buffer | 'too-large' | 'aborted') => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      if (value !== 'too-large' && value !== 'aborted') resolve(value);
      else {
        chunks.length = 0;
        req.pause();
        resolve(value);
      }
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) finish('too-large');
      else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, total));
    const onError = () => finish('aborted');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

function signatureMatches(secret: string, body: Buffer, header: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Pino serializers for Probot's logger: an error or event Probot logs is reduced to what
 * identifies it, so no payload reaches the log, whatever fails after the signature check.
 */
export const payloadFreeSerializers = {
  err(error: unknown) {
    const e = error as {
      name?: string;
      message?: string;
      stack?: string;
      status?: number;
      errors?: unknown[];
    };
    const inner = Array.isArray(e?.errors) ? e.errors.slice(0, 3) : [];
    return {
      type: e?.name,
      message: String(e?.message ?? '').slice(0, 500),
      ...(e?.status !== undefined ? { status: e.status } : {}),
      ...(e?.stack ? { stack: e.stack.slice(0, 2_000) } : {}),
      ...(inner.length > 0
        ? {
            errors: inner.map((x) => ({
              type: (x as Error)?.name,
              message: String((x as Error)?.message ?? '').slice(0, 500),
            })),
          }
        : {}),
    };
  },
  event(event: unknown) {
    const e = event as { id?: string; name?: string };
    return { id: e?.id, name: e?.name };
  },
};
