import { spawn } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningForge, startForge } from '../../../../src/forge/start-forge.js';
import { cloneAs, credentialUrl } from '../../../support/forge-git.js';
import { type ValidatedClients, validatedClients } from '../../../support/forge-octokit.js';
import { createOpenApiValidator } from '../../../support/forge-openapi.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../support/forge-webhook-receiver.js';
import { createWebhookValidator } from '../../../support/forge-webhook-schemas.js';

export function forgeCoreTests(): void {
  describe('the forge core on its own forge', () => {
    function appJwt(appId: number, privateKey: string): string {
      const now = Math.floor(Date.now() / 1000);
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iat: now - 30, exp: now + 540, iss: appId })}`;
      const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url');
      return `${unsigned}.${signature}`;
    }

    /** Reads HTTP/1.1 responses with a JSON body, one after another, from a raw connection. */
    function httpResponses(socket: Socket) {
      let buffered = Buffer.alloc(0);
      let failure: Error | null = null;
      let wake = () => {};
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        wake();
      });
      socket.on('error', (error) => {
        failure = error;
        wake();
      });
      socket.on('close', () => {
        failure ??= new Error('the forge closed the connection');
        wake();
      });
      const complete = () => {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return null;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/^content-length:\s*(\d+)$/im.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return null;
        const body = buffered.subarray(end + 4, end + 4 + length).toString('utf8');
        buffered = buffered.subarray(end + 4 + length);
        return { status: Number(head.split(' ')[1]), body: JSON.parse(body) as unknown };
      };
      return {
        next: () =>
          new Promise<{ status: number; body: unknown }>((resolve, reject) => {
            wake = () => {
              const response = complete();
              if (response) resolve(response);
              else if (failure) reject(failure);
            };
            wake();
          }),
      };
    }

    async function raw(forge: RunningForge, path: string, init: RequestInit = {}) {
      const response = await fetch(`${forge.apiUrl}${path}`, init);
      return {
        status: response.status,
        body: (await response.json().catch(() => null)) as Record<string, unknown> | null,
      };
    }

    let forge: RunningForge;
    let hooks: WebhookReceiver;
    let clients: ValidatedClients;
    const dataDir = mkdtempSync(join(tmpdir(), 'affineur-forge-core-'));

    beforeAll(async () => {
      forge = await startForge({ dataDir, webhookRetryDelaysMs: [20, 40] });
      hooks = await startWebhookReceiver();
      await forge.setWebhookUrl(hooks.url);
      clients = validatedClients(forge.apiUrl, createOpenApiValidator());
      await clients
        .client(forge.adminToken)
        .rest.repos.createForAuthenticatedUser({ name: 'core', auto_init: true });
    });

    afterAll(async () => {
      await forge?.close();
      await hooks?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    describe('the forge HTTP core', () => {
      it('answers bad input the way GitHub does', async () => {
        const auth = { authorization: `token ${forge.adminToken}`, 'content-type': 'application/json' };
        const malformed = await raw(forge, '/repos/admin/core/issues', {
          method: 'POST',
          headers: auth,
          body: '{"title":',
        });
        expect(malformed).toMatchObject({ status: 400, body: { message: 'Problems parsing JSON' } });
        const unknown = await raw(forge, '/no/such/route', { headers: auth });
        expect(unknown.status).toBe(404);
        expect(unknown.body).toMatchObject({
          message: 'Not Found',
          documentation_url: expect.stringContaining('docs.github.com'),
        });
        const huge = await raw(forge, '/repos/admin/core/issues', {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ title: 'x'.repeat(6 * 1024 * 1024) }),
        });
        expect(huge.status).toBe(413);
        const missing = await raw(forge, '/repos/admin/core/issues', {
          method: 'POST',
          headers: auth,
          body: '{}',
        });
        expect(missing.status).toBe(422);
        expect(missing.body?.errors).toEqual([{ resource: 'Issue', field: 'title', code: 'missing_field' }]);
        const bad = await raw(forge, '/user', { headers: { authorization: 'token ghp_not-a-real-token' } });
        expect(bad).toMatchObject({ status: 401, body: { message: 'Bad credentials' } });
      });

      it('answers a request sent on a kept-alive connection while its idle timer was overdue', async () => {
        // Callers often share the forge's event loop (tests, `affineur demo`). When that loop is
        // busy past the keep-alive timeout, the timer fires after the client has already sent its
        // next request on the connection; closing it then drops the request with a reset.
        const keepAliveTimeoutMs = 100;
        const other = await startForge({ keepAliveTimeoutMs });
        const socket = connect(Number(new URL(other.apiUrl).port), '127.0.0.1');
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        try {
          const responses = httpResponses(socket);
          const request = `GET /api/v3/user HTTP/1.1\r\nHost: forge\r\nAuthorization: token ${other.adminToken}\r\n\r\n`;
          socket.write(request);
          expect(await responses.next()).toMatchObject({ status: 200, body: { login: 'admin' } });
          await new Promise((resolve) => setImmediate(resolve));
          // Block this thread, forge included, until its keep-alive timer is overdue. Node arms
          // that timer for keepAliveTimeout plus a 1 s buffer (`keepAliveTimeoutBuffer`).
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2 * (keepAliveTimeoutMs + 1000));
          socket.write(request);
          expect(await responses.next()).toMatchObject({ status: 200, body: { login: 'admin' } });
          // A connection that stays idle is still closed by the forge.
          await closed;
        } finally {
          socket.destroy();
          await other.close();
        }
      });

      it('serializes concurrent writes so none is lost and the state file stays valid', async () => {
        const admin = clients.client(forge.adminToken);
        const { data: issue } = await admin.rest.issues.create({
          owner: 'admin',
          repo: 'core',
          title: 'Many labels',
        });
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            admin.rest.issues.addLabels({
              owner: 'admin',
              repo: 'core',
              issue_number: issue.number,
              labels: [`area/${i}`],
            }),
          ),
        );
        const { data: labels } = await admin.rest.issues.listLabelsOnIssue({
          owner: 'admin',
          repo: 'core',
          issue_number: issue.number,
          per_page: 100,
        });
        expect(labels).toHaveLength(20);
        await forge.idle();
        const state = JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')) as {
          issues: { labelIds: number[] }[];
        };
        expect(state.issues.find((i) => i.labelIds.length === 20)).toBeDefined();
      });

      it('lets the app authenticate with its JWT and act through an installation token only', async () => {
        const jwt = appJwt(forge.app.id, forge.app.privateKey);
        const asApp = clients.client(jwt);
        const { data: app } = await asApp.rest.apps.getAuthenticated();
        expect(app?.slug).toBe('affineur-sandbox');
        const { data: installation } = await asApp.rest.apps.getRepoInstallation({
          owner: 'admin',
          repo: 'core',
        });
        expect(installation.id).toBe(forge.app.installationId);
        const { data: token } = await asApp.rest.apps.createInstallationAccessToken({
          installation_id: installation.id,
        });
        const bot = clients.client(token.token);
        const { data: head } = await bot.rest.repos.getCombinedStatusForRef({
          owner: 'admin',
          repo: 'core',
          ref: 'main',
        });
        const { data: run } = await bot.rest.checks.create({
          owner: 'admin',
          repo: 'core',
          name: 'lint',
          head_sha: head.sha,
          status: 'in_progress',
        });
        await bot.rest.checks.update({
          owner: 'admin',
          repo: 'core',
          check_run_id: run.id,
          conclusion: 'success',
        });
        const { data: runs } = await bot.rest.checks.listForRef({
          owner: 'admin',
          repo: 'core',
          ref: 'main',
        });
        expect(runs.check_runs[0]).toMatchObject({
          name: 'lint',
          status: 'completed',
          conclusion: 'success',
        });
        const { data: suites } = await bot.rest.checks.listSuitesForRef({
          owner: 'admin',
          repo: 'core',
          ref: 'main',
        });
        expect(suites.check_suites[0]?.conclusion).toBe('success');
        const asUser = clients.client(forge.adminToken);
        await expect(
          asUser.rest.checks.create({ owner: 'admin', repo: 'core', name: 'x', head_sha: head.sha }),
        ).rejects.toMatchObject({ status: 403 });
        const forged = jwt.replace(/\.[^.]+$/, '.AAAA');
        await expect(clients.client(forged).rest.apps.getAuthenticated()).rejects.toMatchObject({
          status: 401,
        });
      });

      it('retries a failed webhook delivery and logs every attempt', async () => {
        hooks.failNext(1);
        const admin = clients.client(forge.adminToken);
        const { data: issue } = await admin.rest.issues.create({
          owner: 'admin',
          repo: 'core',
          title: 'Retry me',
        });
        const delivered = await hooks.waitFor(
          (d) => d.event === 'issues' && (d.payload.issue as { number: number }).number === issue.number,
        );
        await forge.idle();
        const asApp = clients.client(appJwt(forge.app.id, forge.app.privateKey));
        const { data: log } = await asApp.request('GET /app/hook/deliveries', { per_page: 100 });
        const attempts = log.filter((d) => d.guid === delivered.id);
        expect(attempts.map((d) => d.status_code).sort()).toEqual([202, 500]);
        const { data: detail } = await asApp.request('GET /app/hook/deliveries/{delivery_id}', {
          delivery_id: Number(attempts[0]?.id),
        });
        expect(detail.request.headers).toMatchObject({ 'x-github-event': 'issues' });
      });

      it('delivers webhooks concurrently: a receiver still answering one does not hold up the next', async () => {
        const emitted: string[] = [];
        const other = await startForge({
          onEvent: (event, payload) => emitted.push(`${event}.${payload.action}`),
        });
        // Answers nothing until two deliveries are in flight at once, then everything. A
        // dispatcher that waited for each answer would only get there when its 10 s timeout
        // gave up on the first, which the log would show.
        const held: ServerResponse[] = [];
        let released = false;
        const receiver = createServer((req, res) => {
          req.resume();
          held.push(res);
          released ||= held.length >= 2;
          if (released) for (const waiting of held.splice(0)) waiting.writeHead(202).end();
        });
        await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
        try {
          await other.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`);
          const otherClients = validatedClients(other.apiUrl, createOpenApiValidator());
          const admin = otherClients.client(other.adminToken);
          await admin.rest.repos.createForAuthenticatedUser({ name: 'concurrent' });
          await admin.rest.issues.create({ owner: 'admin', repo: 'concurrent', title: 'One more event' });
          await other.idle();
          const asApp = otherClients.client(appJwt(other.app.id, other.app.privateKey));
          const { data: log } = await asApp.request('GET /app/hook/deliveries', { per_page: 100 });
          expect(log.map((d) => `${d.event}.${d.action}:${d.status_code}`).sort()).toEqual([
            'installation.created:202',
            'installation_repositories.added:202',
            'issues.opened:202',
          ]);
          expect(emitted).toEqual([
            'installation.created',
            'installation_repositories.added',
            'issues.opened',
          ]);
        } finally {
          await other.close();
          receiver.closeAllConnections();
          await new Promise((resolve) => receiver.close(resolve));
        }
      });

      it('runs the CI rule after each push: [fail] in the message fails the status', async () => {
        await forge.setCiRule('admin', 'core', { report: 'status', name: 'sandbox-ci', mode: 'message' });
        const work = await cloneAs('admin', credentialUrl(forge.gitUrl, forge.adminToken, 'admin/core.git'));
        const good = await work.commitFile('ok.txt', 'ok\n', 'All good');
        await work.run('push', '--quiet', 'origin', 'main');
        const bad = await work.commitFile('ko.txt', 'ko\n', 'Break it [fail]');
        await work.run('push', '--quiet', 'origin', 'main');
        await forge.idle();
        const admin = clients.client(forge.adminToken);
        const combined = async (ref: string) =>
          (await admin.rest.repos.getCombinedStatusForRef({ owner: 'admin', repo: 'core', ref })).data.state;
        expect(await combined(good)).toBe('success');
        expect(await combined(bad)).toBe('failure');
        await forge.setCiRule('admin', 'core', {
          report: 'check',
          name: 'tests',
          mode: 'command',
          command: 'test -f ok.txt',
          timeoutMs: 20_000,
        });
        const third = await work.commitFile('more.txt', 'more\n', 'More');
        await work.run('push', '--quiet', 'origin', 'main');
        await forge.idle();
        const { data: runs } = await admin.rest.checks.listForRef({
          owner: 'admin',
          repo: 'core',
          ref: third,
        });
        expect(runs.check_runs[0]).toMatchObject({ name: 'tests', conclusion: 'success' });
      });

      it("sends check_run, check_suite, issues and status payloads that match GitHub's webhook schemas", async () => {
        await forge.idle();
        const validate = createWebhookValidator();
        const events = new Set(hooks.deliveries.map((d) => d.event));
        expect([...events]).toEqual(
          expect.arrayContaining(['check_run', 'check_suite', 'issues', 'status', 'push']),
        );
        for (const delivery of hooks.deliveries) validate(delivery.event, delivery.payload);
      });

      it('keeps its state, repositories and delivery log across a restart with the same data directory', async () => {
        const asApp = () => clients.client(appJwt(forge.app.id, forge.app.privateKey));
        await forge.idle();
        const { data: logged } = await asApp().request('GET /app/hook/deliveries', { per_page: 100 });
        await forge.close();
        forge = await startForge({ dataDir });
        clients = validatedClients(forge.apiUrl, createOpenApiValidator());
        const { data: kept } = await asApp().request('GET /app/hook/deliveries', { per_page: 100 });
        expect(logged.length).toBeGreaterThan(0);
        expect(kept.map((d) => d.guid)).toEqual(logged.map((d) => d.guid));
        const { data: repo } = await clients
          .client(forge.adminToken)
          .rest.repos.get({ owner: 'admin', repo: 'core' });
        expect(repo.full_name).toBe('admin/core');
        const work = await cloneAs('admin', credentialUrl(forge.gitUrl, forge.adminToken, 'admin/core.git'));
        expect(await work.run('log', '-1', '--format=%s')).toBe('More');
      });
    });

    describe('affineur sandbox', () => {
      it('prints one JSON line with the URLs and an admin token that works', async () => {
        const child = spawn(process.execPath, ['bin/affineur.js', 'sandbox', '--json', '--port', '0'], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        try {
          const line = await new Promise<string>((resolve, reject) => {
            createInterface({ input: child.stdout }).once('line', resolve);
            child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
          });
          const info = JSON.parse(line) as {
            api: string;
            git: string;
            token: string;
            appId: number;
            installationId: number;
          };
          expect(info.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
          const response = await fetch(`${info.api}/user`, {
            headers: { authorization: `token ${info.token}` },
          });
          expect(((await response.json()) as { login: string }).login).toBe('admin');
        } finally {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
      });
    });
  });
}
