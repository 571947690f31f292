import type { Octokit } from '@octokit/rest';
import { Webhooks } from '@octokit/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningForge, startForge } from '../../../../src/forge/start-forge.js';
import { cloneAs, credentialUrl } from '../../../support/forge-git.js';
import { type ValidatedClients, validatedClients } from '../../../support/forge-octokit.js';
import { createOpenApiValidator } from '../../../support/forge-openapi.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../support/forge-webhook-receiver.js';
import { createWebhookValidator } from '../../../support/forge-webhook-schemas.js';

export function contributorFlowTests(): void {
  describe('a contributor flow on its own forge', () => {
    let forge: RunningForge;
    let hooks: WebhookReceiver;
    let clients: ValidatedClients;
    let admin: Octokit;
    const tokens: Record<string, string> = {};
    const as = (login: string) => clients.client(tokens[login]);

    async function status(promise: Promise<unknown>): Promise<number> {
      try {
        await promise;
        return 200;
      } catch (error) {
        const code = (error as { status?: number }).status;
        if (code === undefined) throw error;
        return code;
      }
    }

    beforeAll(async () => {
      forge = await startForge({ webhookRetryDelaysMs: [50, 100] });
      hooks = await startWebhookReceiver();
      await forge.setWebhookUrl(hooks.url);
      clients = validatedClients(forge.apiUrl, createOpenApiValidator());
      admin = clients.client(forge.adminToken);
      for (const login of ['alice', 'bob', 'carol', 'rita']) {
        await admin.request('POST /admin/users', { login, email: `${login}@example.test` });
        const { data } = await admin.request('POST /admin/users/{username}/authorizations', {
          username: login,
          scopes: ['repo'],
        });
        tokens[login] = data.token;
      }
    });

    afterAll(async () => {
      await forge?.close();
      await hooks?.close();
    });

    describe('the contributor flow against the sandbox forge', () => {
      it('creates a repository, takes a pushed branch, reviews, checks and merges it with each method', async () => {
        const alice = as('alice');
        const { data: repo } = await alice.rest.repos.createForAuthenticatedUser({
          name: 'cheese',
          auto_init: true,
        });
        expect(repo.full_name).toBe('alice/cheese');
        await alice.rest.repos.addCollaborator({
          owner: 'alice',
          repo: 'cheese',
          username: 'carol',
          permission: 'push',
        });
        await alice.rest.repos.addCollaborator({
          owner: 'alice',
          repo: 'cheese',
          username: 'rita',
          permission: 'pull',
        });
        const { data: perm } = await alice.rest.repos.getCollaboratorPermissionLevel({
          owner: 'alice',
          repo: 'cheese',
          username: 'rita',
        });
        expect(perm.permission).toBe('read');

        const work = await cloneAs('alice', credentialUrl(forge.gitUrl, tokens.alice!, 'alice/cheese.git'));
        const initial = await work.run('rev-parse', 'HEAD');

        // 1. merge commit
        await work.run('checkout', '--quiet', '-b', 'feature-merge');
        const c1 = await work.commitFile('brie.txt', 'brie\n', 'Add brie');
        await work.run('push', '--quiet', 'origin', 'feature-merge');
        const { data: pr1 } = await alice.rest.pulls.create({
          owner: 'alice',
          repo: 'cheese',
          head: 'feature-merge',
          base: 'main',
          title: 'Brie',
        });
        expect(pr1.number).toBe(1);
        const opened = await hooks.waitFor(
          (d) => d.event === 'pull_request' && d.payload.action === 'opened',
        );
        expect((opened.payload.pull_request as { head: { sha: string } }).head.sha).toBe(c1);
        await as('carol').rest.pulls.createReview({
          owner: 'alice',
          repo: 'cheese',
          pull_number: 1,
          event: 'APPROVE',
        });
        await alice.rest.repos.createCommitStatus({
          owner: 'alice',
          repo: 'cheese',
          sha: c1,
          state: 'success',
          context: 'ci',
        });
        const { data: got } = await alice.rest.pulls.get({ owner: 'alice', repo: 'cheese', pull_number: 1 });
        expect(got).toMatchObject({ mergeable: true, mergeable_state: 'clean' });
        const { data: m1 } = await alice.rest.pulls.merge({
          owner: 'alice',
          repo: 'cheese',
          pull_number: 1,
          sha: c1,
          merge_method: 'merge',
        });
        expect(m1.merged).toBe(true);

        // 2. squash
        await work.run('checkout', '--quiet', '-b', 'feature-squash', 'origin/main');
        await work.run('pull', '--quiet', 'origin', 'main');
        await work.commitFile('comte.txt', 'comte\n', 'Add comte');
        await work.commitFile('comte.txt', 'comte 18 months\n', 'Age comte');
        await work.run('push', '--quiet', 'origin', 'feature-squash');
        await alice.rest.pulls.create({
          owner: 'alice',
          repo: 'cheese',
          head: 'feature-squash',
          base: 'main',
          title: 'Comte',
        });
        const { data: m2 } = await alice.rest.pulls.merge({
          owner: 'alice',
          repo: 'cheese',
          pull_number: 2,
          merge_method: 'squash',
        });

        // 3. rebase
        await work.run('fetch', '--quiet', 'origin');
        await work.run('checkout', '--quiet', '-b', 'feature-rebase', initial);
        await work.commitFile('gouda.txt', 'gouda\n', 'Add gouda');
        await work.commitFile('edam.txt', 'edam\n', 'Add edam');
        await work.run('push', '--quiet', 'origin', 'feature-rebase');
        await alice.rest.pulls.create({
          owner: 'alice',
          repo: 'cheese',
          head: 'feature-rebase',
          base: 'main',
          title: 'Dutch',
        });
        const { data: m3 } = await alice.rest.pulls.merge({
          owner: 'alice',
          repo: 'cheese',
          pull_number: 3,
          merge_method: 'rebase',
        });

        const check = await cloneAs('rita', credentialUrl(forge.gitUrl, tokens.rita!, 'alice/cheese.git'));
        const history = (await check.run('log', '--topo-order', '--format=%s|%an|%cn|%P', 'main')).split(
          '\n',
        );
        const m1Parents = `${initial} ${c1}`;
        expect(history).toEqual([
          `Add edam|alice|GitHub|${await check.run('rev-parse', `${m3.sha}~1`)}`,
          `Add gouda|alice|GitHub|${m2.sha}`,
          `Comte (#2)|alice|GitHub|${m1.sha}`,
          `Merge pull request #1 from alice/feature-merge|alice|GitHub|${m1Parents}`,
          `Add brie|alice|alice|${initial}`,
          `Initial commit|alice|alice|`,
        ]);
        expect(await check.run('log', '-1', '--format=%b', m2.sha)).toBe('* Add comte\n\n* Age comte');
        expect(await check.run('log', '-1', '--format=%b', m1.sha)).toBe('Brie');
        expect(await check.run('show', `${m3.sha}:gouda.txt`)).toBe('gouda');
      });

      it('refuses a merge whose sha is stale (409), and read-only users (403)', async () => {
        const alice = as('alice');
        const work = await cloneAs('alice', credentialUrl(forge.gitUrl, tokens.alice!, 'alice/cheese.git'));
        await work.run('checkout', '--quiet', '-b', 'moving');
        const first = await work.commitFile('feta.txt', 'feta\n', 'Add feta');
        await work.run('push', '--quiet', 'origin', 'moving');
        const { data: pr } = await alice.rest.pulls.create({
          owner: 'alice',
          repo: 'cheese',
          head: 'moving',
          base: 'main',
          title: 'Feta',
        });
        await work.commitFile('feta.txt', 'feta in brine\n', 'Brine feta');
        await work.run('push', '--quiet', 'origin', 'moving');
        await hooks.waitFor(
          (d) =>
            d.event === 'pull_request' &&
            d.payload.action === 'synchronize' &&
            d.payload.number === pr.number,
        );
        expect(
          await status(
            alice.rest.pulls.merge({ owner: 'alice', repo: 'cheese', pull_number: pr.number, sha: first }),
          ),
        ).toBe(409);

        const rita = as('rita');
        expect(
          await status(rita.rest.pulls.merge({ owner: 'alice', repo: 'cheese', pull_number: pr.number })),
        ).toBe(403);
        expect(
          await status(
            rita.rest.issues.addLabels({
              owner: 'alice',
              repo: 'cheese',
              issue_number: pr.number,
              labels: ['kind/bug'],
            }),
          ),
        ).toBe(403);
        const { data: readable } = await rita.rest.pulls.get({
          owner: 'alice',
          repo: 'cheese',
          pull_number: pr.number,
        });
        expect(readable.head.sha).not.toBe(first);
      });

      it("signs every webhook so @octokit/webhooks verifies it, with payloads that match GitHub's schemas", async () => {
        await forge.idle();
        const webhooks = new Webhooks({ secret: forge.app.webhookSecret });
        const validate = createWebhookValidator();
        expect(hooks.deliveries.length).toBeGreaterThan(10);
        const events = new Set<string>();
        for (const delivery of hooks.deliveries) {
          expect(await webhooks.verify(delivery.body, delivery.signature)).toBe(true);
          validate(delivery.event, delivery.payload);
          events.add(`${delivery.event}.${String(delivery.payload.action ?? '')}`);
        }
        expect([...events]).toEqual(
          expect.arrayContaining([
            'push.',
            'create.',
            'pull_request.opened',
            'pull_request.closed',
            'pull_request.synchronize',
            'pull_request_review.submitted',
            'status.',
          ]),
        );
      });
    });
  });
}
