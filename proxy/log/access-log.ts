/**
 * Access logs in Traefik's two formats: `common` (CLF plus router, server URL and duration)
 * and `json` with Traefik's field names, so existing dashboards and parsers keep working.
 * Lines are batched and written once per event-loop turn, never synchronously per request.
 */
import { createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessLogConfig } from '../config/static-schema.js';
import type { RequestContext } from '../middleware/handler.js';
import { accessLogFilter } from './access-log-filter.js';

export interface AccessLogEntry {
  req: IncomingMessage;
  res: ServerResponse;
  ctx: RequestContext;
  /** What the client got: the response status, or 499 when it left first. */
  downstreamStatus: number;
  requestCount: number;
}

export type AccessLogWriter = (entry: AccessLogEntry) => void;

type Sink = { write(text: string): unknown; end?(): unknown };

export function createAccessLog(
  config: AccessLogConfig,
  sink?: Sink,
): { write: AccessLogWriter; close(): void } {
  const out: Sink =
    sink ?? (config.filePath ? createWriteStream(config.filePath, { flags: 'a' }) : process.stdout);
  const keep = accessLogFilter(config.filters);
  const format = config.format === 'json' ? jsonLine(config) : commonLine;
  let pending = '';
  let lines = 0;
  let scheduled = false;
  const limit = Math.max(1, config.bufferingSize);
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    out.write(pending);
    pending = '';
    lines = 0;
  };
  return {
    write(entry) {
      const duration = Number(process.hrtime.bigint() - entry.ctx.start);
      if (!keep(entry.downstreamStatus, entry.ctx.retryAttempts, duration / 1e6)) return;
      pending += format(entry, duration);
      lines++;
      if (lines >= limit && config.bufferingSize > 0) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    close() {
      flush();
      if (out !== process.stdout) out.end?.();
    },
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `02/Jan/2006:15:04:05 +0000`, the CLF timestamp. */
function clfTime(date: Date): string {
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function quoted(value: string | undefined): string {
  return value === undefined || value === '' ? '"-"' : JSON.stringify(value);
}

function startDate(durationNs: number): Date {
  return new Date(Date.now() - durationNs / 1e6);
}

function commonLine(
  { req, res, ctx, downstreamStatus, requestCount }: AccessLogEntry,
  durationNs: number,
): string {
  const size = downstreamSize(res, ctx);
  return `${ctx.clientAddress} - ${clfToken(ctx.clientUsername)} [${clfTime(startDate(durationNs))}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${downstreamStatus} ${size} ${quoted(req.headers.referer)} ${quoted(req.headers['user-agent'])} ${requestCount} ${quoted(ctx.routerName)} ${quoted(ctx.serviceUrl)} ${Math.round(durationNs / 1e6)}ms\n`;
}

/**
 * A bare CLF field: '-' when empty. The user name comes from an htpasswd file or an auth
 * server, not the client, but a space or control character would still break the line apart.
 */
function clfToken(value: string | undefined): string {
  if (value === undefined || value === '') return '-';
  return value.replace(/[\s\p{Cc}"]/gu, '_');
}

function downstreamSize(res: ServerResponse, ctx: RequestContext): number {
  if (ctx.originStatus !== 0) return ctx.originContentSize;
  const length = res.getHeader('content-length');
  return length === undefined ? 0 : Number(length);
}

type FieldMode = 'keep' | 'drop' | 'redact';

function jsonLine(config: AccessLogConfig) {
  const fields = config.fields;
  const defaultMode: FieldMode = fields?.defaultMode ?? 'keep';
  const names = fields?.names ?? {};
  const headerDefault: FieldMode = fields?.headers?.defaultMode ?? 'drop';
  const headerNames = Object.fromEntries(
    Object.entries(fields?.headers?.names ?? {}).map(([name, mode]) => [name.toLowerCase(), mode]),
  );
  const modeOf = (field: string): FieldMode => names[field] ?? defaultMode;
  return ({ req, res, ctx, downstreamStatus, requestCount }: AccessLogEntry, durationNs: number): string => {
    const start = startDate(durationNs);
    const originDuration = ctx.originEnd > ctx.originStart ? Number(ctx.originEnd - ctx.originStart) : 0;
    const host = req.headers.host ?? '';
    const colon = host.lastIndexOf(':');
    const clientColon = ctx.clientAddress.includes(':') ? `[${ctx.clientAddress}]` : ctx.clientAddress;
    const serviceAddr = ctx.serviceUrl ? safeHost(ctx.serviceUrl) : undefined;
    const record: Record<string, unknown> = {
      ClientAddr: `${clientColon}:${req.socket?.remotePort ?? ''}`,
      ClientHost: ctx.clientAddress,
      ClientPort: String(req.socket?.remotePort ?? ''),
      ClientUsername: ctx.clientUsername ?? '-',
      DownstreamContentSize: downstreamSize(res, ctx),
      DownstreamStatus: downstreamStatus,
      Duration: durationNs,
      OriginContentSize: ctx.originContentSize,
      OriginDuration: originDuration,
      OriginStatus: ctx.originStatus,
      Overhead: durationNs - originDuration,
      RequestAddr: host,
      RequestContentSize: Number(req.headers['content-length'] ?? 0),
      RequestCount: requestCount,
      RequestHost: colon > host.lastIndexOf(']') && colon !== -1 ? host.slice(0, colon) : host,
      RequestMethod: req.method,
      RequestPath: req.url,
      RequestPort: colon > host.lastIndexOf(']') && colon !== -1 ? host.slice(colon + 1) : '-',
      RequestProtocol: `HTTP/${req.httpVersion}`,
      RequestScheme: 'http',
      RetryAttempts: ctx.retryAttempts,
      RouterName: ctx.routerName,
      ServiceAddr: serviceAddr,
      ServiceName: ctx.serviceName,
      ServiceURL: ctx.serviceUrl,
      StartLocal: start.toISOString(),
      StartUTC: start.toISOString(),
      entryPointName: ctx.entryPoint,
    };
    const line: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(record)) {
      if (value === undefined) continue;
      const mode = modeOf(field);
      if (mode === 'keep') line[field] = value;
      else if (mode === 'redact') line[field] = 'REDACTED';
    }
    if (headerDefault !== 'drop' || Object.keys(headerNames).length > 0) {
      addHeaders(line, 'request_', req.headers, headerDefault, headerNames);
      addHeaders(line, 'downstream_', res.getHeaders(), headerDefault, headerNames);
    }
    line.level = 'info';
    line.msg = '';
    line.time = new Date().toISOString();
    return `${JSON.stringify(line)}\n`;
  };
}

function addHeaders(
  line: Record<string, unknown>,
  prefix: string,
  headers: Record<string, unknown>,
  defaultMode: FieldMode,
  names: Record<string, FieldMode>,
): void {
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const mode = names[name] ?? defaultMode;
    if (mode === 'drop') continue;
    const canonical = name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    line[prefix + canonical] =
      mode === 'redact' ? 'REDACTED' : Array.isArray(value) ? value.join(', ') : String(value);
  }
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
