/**
 * The whole path, with nothing stubbed: real git pushes and API calls change the forge, the
 * forge signs and delivers webhooks to the bot's HTTP server, the bot enqueues them (in process,
 * or on BullMQ in real Redis), workers run the handlers, and the handlers call the forge back.
 */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBotServer } from '../../../../bot/bot-server.js';
import { defaultLabels } from '../../../../bot/config/default-labels.js';
import { createBullmqQueue } from '../../../../bot/queue/bullmq-queue.js';
import type { EventQueue } from '../../../../bot/queue/event-queue.js';
import { createInProcessQueue } from '../../../../bot/queue/in-process-queue.js';
import { redisUrl } from '../../../support/services.js';
import { deleteKeys, uniquePrefix } from '../queue/queue-test-kit.js';
import { probotForForge } from './bot-harness.js';
import { type ForgeFixture, startForgeFixture } from './forge-fixture.js';
import { LogCapture } from './log-capture.js';
import { settle } from './settle.js';

const queueKinds = {
  'in-process': async (logs: LogCapture) => ({
    queue: createInProcessQueue({ log: logs.log }),
    cleanup: async () => {},
  }),
  bullmq: async (logs: LogCapture) => {
    const url = await redisUrl();
    const prefix = uniquePrefix();
    return {
      queue: createBullmqQueue({ redisUrl: url, log: logs.log, prefix }),
      cleanup: () => deleteKeys(url, prefix),
    };
  },
} satisfies Record<
  string,
  (logs: LogCapture) => Promise<{ queue: EventQueue; cleanup: () => Promise<void> }>
>;

describe.each(Object.keys(queueKinds) as (keyof typeof queueKinds)[])(
  'webhooks to the bot server (%s queue)',
  (kind) => {
    let fx: ForgeFixture;
    let bot: RunningBot;
    let queue: EventQueue;
    let cleanup: () => Promise<void>;
    const logs = new LogCapture();
    const owner = 'alice';
    const repo = `e2e-${kind}`;

    beforeAll(async () => {
      fx = await startForgeFixture(['alice']);
      ({ queue, cleanup } = await queueKinds[kind](logs));
      bot = await startBotServer(
        {
          appId: fx.forge.app.id,
          privateKey: fx.forge.app.privateKey,
          webhookSecret: fx.forge.app.webhookSecret,
          baseUrl: fx.forge.apiUrl,
          host: '127.0.0.1',
          port: 0,
          webhookPath: '/api/github/webhooks',
          globalDryRun: false,
        },
        queue,
        logs.log,
      );
      await fx.forge.setWebhookUrl(bot.webhookUrl);
      await fx.createRepo(owner, repo);
      await settle(fx.forge, queue);
    });

    afterAll(async () => {
      await bot?.close();
      await fx?.close();
      await cleanup?.();
    });

    afterEach(() => {
      expect(logs.lines.filter((l) => l.msg === 'event failed' || l.level >= 50)).toEqual([]);
    });

    const labelsOf = async (issue: number) =>
      (await fx.admin.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: issue })).data
        .map((l) => l.name)
        .sort();

    it('syncs the declared labels onto a repository added to the installation', async () => {
      const { data } = await fx.admin.rest.issues.listLabelsForRepo({ owner, repo, per_page: 100 });
      const byName = new Map(data.map((l) => [l.name, l]));
      for (const declared of defaultLabels) {
        expect(byName.get(declared.name)).toMatchObject({
          color: declared.color,
          description: declared.description,
        });
      }
    });

    it('labels a new issue', async () => {
      const { data: issue } = await fx
        .as(owner)
        .rest.issues.create({ owner, repo, title: 'Mould on the rind' });
      await settle(fx.forge, queue);
      expect(await labelsOf(issue.number)).toEqual(['status/0-needs-triage']);
    });

    it('labels a PR opened from a branch pushed over HTTP', async () => {
      const work = await fx.clone(owner, owner, repo);
      await work.run('checkout', '--quiet', '-b', 'fix-docs');
      await work.commitFile('docs/cave.md', 'Keep the cave at 12 °C.\n', 'docs: cave temperature');
      await work.run('push', '--quiet', 'origin', 'fix-docs');
      const { data: pr } = await fx
        .as(owner)
        .rest.pulls.create({ owner, repo, head: 'fix-docs', base: 'main', title: 'fix: cave temperature' });
      await settle(fx.forge, queue);
      expect(await labelsOf(pr.number)).toEqual([
        'area/documentation',
        'kind/bug/fix',
        'size/S',
        'status/0-needs-triage',
      ]);
    });

    it('applies a /label command from a real comment', async () => {
      const { data: issue } = await fx.as(owner).rest.issues.create({ owner, repo, title: 'Label me' });
      await fx.as(owner).rest.issues.createComment({
        owner,
        repo,
        issue_number: issue.number,
        body: 'Triaged.\n/label add kind/question\n/label remove status/0-needs-triage',
      });
      await settle(fx.forge, queue);
      expect(await labelsOf(issue.number)).toEqual(['kind/question']);
    });

    it('handles a delivery once when the same delivery id is POSTed again', async () => {
      const { data: issue } = await fx
        .as(owner)
        .rest.issues.create({ owner, repo, title: 'Delivered twice' });
      await settle(fx.forge, queue);
      const appOctokit = await probotForForge(fx.forge, logs).auth();
      const { data: deliveries } = await appOctokit.request('GET /app/hook/deliveries');
      const opened = deliveries.find(
        (d) => d.event === 'issues' && d.action === 'opened' && d.repository_id !== null,
      );
      const { data: delivery } = await appOctokit.request('GET /app/hook/deliveries/{delivery_id}', {
        delivery_id: Number(opened!.id),
      });
      const body = JSON.stringify(delivery.request.payload);
      const response = await fetch(bot.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': delivery.guid,
          'x-hub-signature-256': `sha256=${createHmac('sha256', fx.forge.app.webhookSecret).update(body).digest('hex')}`,
        },
        body,
      });
      expect(response.status).toBe(200);
      await settle(fx.forge, queue);
      expect(
        logs.lines.filter((l) => l.deliveryId === delivery.guid && l.msg === 'event handled'),
      ).toHaveLength(1);
      expect(
        logs.lines.some((l) => l.deliveryId === delivery.guid && l.msg === 'duplicate delivery ignored'),
      ).toBe(true);
      expect(await labelsOf(issue.number)).toEqual(['status/0-needs-triage']);
    });

    it('handles a delivery once when the forge redelivers it', async () => {
      const { data: issue } = await fx.as(owner).rest.issues.create({ owner, repo, title: 'Redelivered' });
      await settle(fx.forge, queue);
      const appOctokit = await probotForForge(fx.forge, logs).auth();
      const { data: deliveries } = await appOctokit.request('GET /app/hook/deliveries');
      const opened = deliveries.find((d) => d.event === 'issues' && d.action === 'opened');
      await appOctokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
        delivery_id: Number(opened!.id),
      });
      await settle(fx.forge, queue);
      const { data: after } = await appOctokit.request('GET /app/hook/deliveries');
      const again = after.filter((d) => d.guid === opened!.guid);
      expect(again.map((d) => d.redelivery).sort()).toEqual([false, true]);
      expect(again.every((d) => d.status_code === 200)).toBe(true);
      expect(
        logs.lines.filter((l) => l.deliveryId === opened!.guid && l.msg === 'event handled'),
      ).toHaveLength(1);
      expect(await labelsOf(issue.number)).toEqual(['status/0-needs-triage']);
    });

    it('fails the affineur/config check of a PR that makes the config invalid, naming line and key', async () => {
      const work = await fx.clone(owner, owner, repo);
      await work.run('checkout', '--quiet', '-b', 'bad-config');
      const head = await work.commitFile(
        '.github/affineur.yml',
        'triage:\n  sise:\n    enabled: true\n',
        'Tune the bot',
      );
      await work.run('push', '--quiet', 'origin', 'bad-config');
      await fx
        .as(owner)
        .rest.pulls.create({ owner, repo, head: 'bad-config', base: 'main', title: 'chore: tune the bot' });
      await settle(fx.forge, queue);
      const { data } = await fx.admin.rest.checks.listForRef({ owner, repo, ref: head });
      const check = data.check_runs.find((run) => run.name === 'affineur/config');
      expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
      expect(check?.output.summary).toContain(
        '.github/affineur.yml:2: triage.sise: unknown key "sise". Did you mean "size"?',
      );
    });

    it('takes no action while the default branch config is invalid, says so in one issue, and closes it when fixed', async () => {
      const work = await fx.clone(owner, owner, repo);
      const pushConfig = async (text: string, message: string) => {
        await work.run('pull', '--quiet', '--rebase', 'origin', 'main');
        await work.commitFile('.github/affineur.yml', text, message);
        await work.run('push', '--quiet', 'origin', 'HEAD:main');
        await settle(fx.forge, queue);
      };
      const errorIssues = async (state: 'open' | 'closed' | 'all') =>
        (await fx.admin.rest.issues.listForRepo({ owner, repo, state, per_page: 100 })).data.filter(
          (i) => i.title === 'affineur: configuration error',
        );

      await pushConfig('labels:\n  prune: maybe\n', 'Break the config');
      const [opened, ...others] = await errorIssues('open');
      expect(others).toEqual([]);
      expect(opened?.body).toContain('.github/affineur.yml:2: labels.prune');

      const { data: ignored } = await fx
        .as(owner)
        .rest.issues.create({ owner, repo, title: 'Not triaged while broken' });
      await settle(fx.forge, queue);
      expect(await labelsOf(ignored.number)).toEqual([]);

      await pushConfig('triage:\n  sise: {}\n', 'Break it differently');
      const updated = await errorIssues('all');
      expect(updated.map((i) => i.number)).toEqual([opened!.number]);
      expect(updated[0]?.body).toContain('.github/affineur.yml:2: triage.sise');

      // A short label list keeps the sync that follows the fix small.
      await pushConfig(
        'labels:\n  definitions:\n    - { name: status/0-needs-triage, color: e4e669 }\n',
        'Fix the config',
      );
      const closed = await errorIssues('all');
      expect(closed.map((i) => [i.number, i.state])).toEqual([[opened!.number, 'closed']]);
      const { data: comments } = await fx.admin.rest.issues.listComments({
        owner,
        repo,
        issue_number: opened!.number,
      });
      expect(comments.at(-1)?.body).toMatch(/valid again/);

      const { data: after } = await fx.as(owner).rest.issues.create({ owner, repo, title: 'Triaged again' });
      await settle(fx.forge, queue);
      expect(await labelsOf(after.number)).toEqual(['status/0-needs-triage']);
    });
  },
);
