/**
 * git smart HTTP, served by the real `git http-backend` run as a CGI program per request. The
 * forge authenticates (a token as the Basic password, as with `x-access-token:TOKEN`),
 * authorizes (read to fetch, write to push, or a `maintainer_can_modify` grant for a fork's PR
 * head branch), and after a push tells `onPush` which refs moved.
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { roleOn } from '../auth/access.js';
import { type Principal, resolvePrincipal } from '../auth/principal.js';
import type { ForgeContext } from '../forge-context.js';
import { ApiError } from '../http/api-error.js';
import { readBody } from '../http/read-body.js';
import type { GitHttpHandler } from '../http/server.js';
import { permissionRank, type RepoRecord } from '../state/model.js';
import { repoById, repoByName } from '../state/queries.js';
import { zeroSha } from './bare-repository.js';
import { gitEnv } from './run-git.js';

export interface RefUpdate {
  ref: string;
  /** null when the ref was created. */
  before: string | null;
  /** null when the ref was deleted. */
  after: string | null;
}

export type PushListener = (repo: RepoRecord, updates: RefUpdate[], principal: Principal) => Promise<void>;

/**
 * Branch protection for a push: refusals decided before the pack is read (deletions, required
 * reviews or checks), and the refs whose non-fast-forward updates the pre-receive hook refuses
 * (only it can read the pushed commits).
 */
export type PushGuard = (
  repo: RepoRecord,
  updates: RefUpdate[],
  principal: Principal,
) => Promise<{ refusals: string[]; noForceRefs: string[] }>;

const maxPushBytes = 512 * 1024 * 1024;

export class GitSmartHttp implements GitHttpHandler {
  private readonly ctx: ForgeContext;
  private readonly gitRoot: string;
  private readonly onPush: PushListener;
  private readonly guard: PushGuard;

  constructor(ctx: ForgeContext, gitRoot: string, onPush: PushListener, guard: PushGuard) {
    this.ctx = ctx;
    this.gitRoot = gitRoot;
    this.onPush = onPush;
    this.guard = guard;
  }

  async handle(req: IncomingMessage, res: ServerResponse, owner: string, name: string, rest: string) {
    const url = new URL(req.url ?? '/', 'http://forge.invalid');
    const service = rest === 'info/refs' ? url.searchParams.get('service') : rest;
    const isPush = service === 'git-receive-pack';
    const state = this.ctx.store.state;
    let principal: Principal;
    try {
      principal = resolvePrincipal(state, req.headers.authorization, this.ctx.now());
    } catch {
      return challenge(res, 'Invalid username or token. Password authentication is not supported.');
    }
    const repo = repoByName(state, owner, name);
    const role = repo ? roleOn(state, principal, repo) : 'none';
    if (principal.kind === 'anonymous' && (role === 'none' || isPush))
      return challenge(res, 'Authentication required.');
    if (!repo || role === 'none') return plain(res, 404, 'Repository not found.');
    const canWrite = permissionRank(role) >= permissionRank('write');
    const grantedHeads = canWrite ? null : this.maintainerGrants(repo, principal);
    if (isPush && !canWrite && grantedHeads?.size === 0) {
      return plain(res, 403, `Permission to ${repo.ownerLogin}/${repo.name}.git denied.`);
    }

    if (!isPush || req.method !== 'POST') {
      return this.runBackend(req, res, repo, rest, url, principal, req);
    }
    const body = await readBody(req, maxPushBytes).catch((error: unknown) => {
      if (error instanceof ApiError) return null;
      throw error;
    });
    if (!body) return plain(res, 413, 'Push too large.');
    const request = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
    const commands = pushCommands(request);
    if (grantedHeads) {
      const denied = commands.map((c) => c.ref).find((ref) => !grantedHeads.has(ref));
      if (denied)
        return plain(res, 403, `Permission to ${repo.ownerLogin}/${repo.name}.git denied (${denied}).`);
    }
    // The push and its consequences (PR heads, webhooks) happen as one change, so an API merge
    // can never run between the ref moving and the forge noticing.
    await this.ctx.store.write(async () => {
      const { refusals, noForceRefs } = await this.guard(repo, commands, principal);
      if (refusals.length > 0) return refusePush(res, request, commands, refusals);
      const git = this.ctx.git(repo);
      await git.ensurePushHook();
      const before = await git.refs();
      await this.runBackend(req, res, repo, rest, url, principal, body, {
        AFFINEUR_NO_FORCE: noForceRefs.join(' '),
      });
      const after = await git.refs();
      const updates = diffRefs(before, after).filter((u) => /^refs\/(heads|tags)\//.test(u.ref));
      if (updates.length > 0) await this.onPush(repo, updates, principal);
    });
  }

  /** Branches of `fork` a user may push to because an open PR from them allows maintainer edits. */
  private maintainerGrants(fork: RepoRecord, principal: Principal): Set<string> {
    const state = this.ctx.store.state;
    const heads = new Set<string>();
    for (const issue of state.issues) {
      const pull = issue.pull;
      if (!pull || issue.state !== 'open' || pull.headRepoId !== fork.id || !pull.maintainerCanModify)
        continue;
      const base = repoById(state, issue.repoId);
      if (base && permissionRank(roleOn(state, principal, base)) >= permissionRank('write')) {
        heads.add(`refs/heads/${pull.headRef}`);
      }
    }
    return heads;
  }

  private runBackend(
    req: IncomingMessage,
    res: ServerResponse,
    repo: RepoRecord,
    rest: string,
    url: URL,
    principal: Principal,
    input: IncomingMessage | Buffer,
    extraEnv: Record<string, string> = {},
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const env: Record<string, string> = {
        ...extraEnv,
        GIT_PROJECT_ROOT: this.gitRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${repo.id}.git/${rest}`,
        REQUEST_METHOD: req.method ?? 'GET',
        QUERY_STRING: url.search.slice(1),
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        REMOTE_USER: principal.kind === 'user' ? principal.login : principal.kind,
      };
      const contentType = req.headers['content-type'];
      if (contentType) env.CONTENT_TYPE = contentType;
      if (Buffer.isBuffer(input)) env.CONTENT_LENGTH = String(input.length);
      else if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
      const encoding = req.headers['content-encoding'];
      if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
      const protocol = req.headers['git-protocol'];
      if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;

      const child = spawn('git', ['http-backend'], { env: gitEnv(env) });
      child.on('error', reject);
      child.stdin.on('error', () => undefined);
      if (Buffer.isBuffer(input)) child.stdin.end(input);
      else input.pipe(child.stdin);

      let head = Buffer.alloc(0);
      let headersDone = false;
      child.stdout.on('data', (chunk: Buffer) => {
        if (headersDone) {
          res.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        const split = findHeaderEnd(head);
        if (!split) return;
        headersDone = true;
        const { status, headers } = parseCgiHeaders(head.subarray(0, split.index).toString('latin1'));
        res.writeHead(status, headers);
        res.write(head.subarray(split.index + split.length));
      });
      const stderr: Buffer[] = [];
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('close', (code) => {
        if (!headersDone) {
          this.ctx.logger.warn(
            { code, stderr: Buffer.concat(stderr).toString() },
            'git http-backend gave no response',
          );
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        }
        res.end();
        resolve();
      });
    });
  }
}

function challenge(res: ServerResponse, message: string): void {
  res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"', 'content-type': 'text/plain' });
  res.end(`${message}\n`);
}

function plain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(`${message}\n`);
}

function findHeaderEnd(buffer: Buffer): { index: number; length: number } | null {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return null;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]) || 200;
    else headers[name] = value;
  }
  return { status, headers };
}

/** The ref updates a receive-pack request asks for, read from its pkt-line command list. */
export function pushCommands(body: Buffer): RefUpdate[] {
  const commands: RefUpdate[] = [];
  for (const line of commandLines(body)) {
    const [before = '', after = '', ref] = (line.split('\0')[0]?.trim() ?? '').split(' ');
    if (!ref || !/^[0-9a-f]{40}$/.test(before) || !/^[0-9a-f]{40}$/.test(after)) continue;
    commands.push({
      ref,
      before: before === zeroSha ? null : before,
      after: after === zeroSha ? null : after,
    });
  }
  return commands;
}

function commandLines(body: Buffer): string[] {
  const lines: string[] = [];
  let offset = 0;
  while (offset + 4 <= body.length) {
    const length = Number.parseInt(body.subarray(offset, offset + 4).toString('latin1'), 16);
    if (!Number.isFinite(length) || length === 0) break;
    lines.push(body.subarray(offset + 4, offset + length).toString('utf8'));
    offset += length;
  }
  return lines;
}

const pkt = (payload: Buffer | string) => {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from((bytes.length + 4).toString(16).padStart(4, '0'), 'latin1'), bytes]);
};

/**
 * Answers a refused push the way GitHub's pre-receive hook does: every ref `ng` with
 * "protected branch hook declined" and `remote: error: GH006: ...` lines, wrapped in the
 * side band when the client asked for it. The pack is discarded.
 */
function refusePush(res: ServerResponse, request: Buffer, commands: RefUpdate[], refusals: string[]): void {
  const capabilities = commandLines(request)[0]?.split('\0')[1]?.split(' ') ?? [];
  const report = Buffer.concat([
    pkt('unpack ok\n'),
    ...commands.map((c) => pkt(`ng ${c.ref} protected branch hook declined\n`)),
    Buffer.from('0000', 'latin1'),
  ]);
  const messages = [
    `error: GH006: Protected branch update failed for ${commands.map((c) => c.ref).join(', ')}.`,
    ...refusals.map((r) => `error: ${r}`),
  ];
  let body: Buffer;
  if (capabilities.includes('side-band-64k') || capabilities.includes('side-band')) {
    const band = (n: number, data: Buffer) => pkt(Buffer.concat([Buffer.from([n]), data]));
    body = Buffer.concat([
      ...messages.map((m) => band(2, Buffer.from(`${m}\n`, 'utf8'))),
      band(1, report),
      Buffer.from('0000', 'latin1'),
    ]);
  } else {
    body = report;
  }
  res.writeHead(200, {
    'content-type': 'application/x-git-receive-pack-result',
    'cache-control': 'no-cache',
  });
  res.end(body);
}

export function diffRefs(before: Map<string, string>, after: Map<string, string>): RefUpdate[] {
  const updates: RefUpdate[] = [];
  for (const [ref, sha] of after) {
    const old = before.get(ref) ?? null;
    if (old !== sha) updates.push({ ref, before: old, after: sha });
  }
  for (const [ref, sha] of before) if (!after.has(ref)) updates.push({ ref, before: sha, after: null });
  return updates;
}
