import { describe, expect, it } from 'vitest';
import { type ForgeHarness, statusOf } from '../../../support/forge-harness.js';

export function appEventTests(h: () => ForgeHarness): void {
  describe('app webhooks', () => {
    it('announces the installation, new repositories, label changes and check suites, and redelivers', async () => {
      const { forge, hooks } = h();
      const created = await hooks.waitFor(
        (d) => d.event === 'installation' && d.payload.action === 'created',
      );
      expect((created.payload.installation as { id: number }).id).toBe(forge.app.installationId);

      const alice = h().as('alice');
      const repo = { owner: 'alice', repo: 'app-events' };
      await alice.rest.repos.createForAuthenticatedUser({ name: 'app-events', auto_init: true });
      const added = await hooks.waitFor(
        (d) =>
          d.event === 'installation_repositories' &&
          (d.payload.repositories_added as { full_name: string }[])[0]?.full_name === 'alice/app-events',
      );
      expect(added.payload).toMatchObject({ action: 'added', repository_selection: 'all' });

      await alice.rest.issues.createLabel({ ...repo, name: 'kind/bug', color: 'ff0000' });
      await alice.rest.issues.updateLabel({ ...repo, name: 'kind/bug', new_name: 'kind/defect' });
      const { data: one } = await alice.rest.issues.getLabel({ ...repo, name: 'kind/defect' });
      expect(one.color).toBe('ff0000');
      await alice.rest.issues.deleteLabel({ ...repo, name: 'kind/defect' });
      const edited = await hooks.waitFor((d) => d.event === 'label' && d.payload.action === 'edited');
      expect(edited.payload.changes).toEqual({ name: { from: 'kind/bug' } });
      await hooks.waitFor((d) => d.event === 'label' && d.payload.action === 'created');
      await hooks.waitFor((d) => d.event === 'label' && d.payload.action === 'deleted');

      const { data: file } = await alice.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: 'x.txt',
        message: 'Push',
        content: Buffer.from('x').toString('base64'),
      });
      const requested = await hooks.waitFor(
        (d) =>
          d.event === 'check_suite' &&
          d.payload.action === 'requested' &&
          (d.payload.check_suite as { head_sha: string }).head_sha === file.commit.sha,
      );
      expect(requested.payload.check_suite).toMatchObject({ head_branch: 'main' });
      const bot = h().clients.client(await h().installationToken());
      const { data: suites } = await bot.rest.checks.listSuitesForRef({
        ...repo,
        ref: file.commit.sha ?? '',
      });
      const suite = suites.check_suites[0];
      expect(suite?.head_sha).toBe(file.commit.sha);
      const { data: readSuite } = await bot.rest.checks.getSuite({ ...repo, check_suite_id: suite?.id ?? 0 });
      expect(readSuite.id).toBe(suite?.id);
      const { data: run } = await bot.rest.checks.create({
        ...repo,
        name: 'lint',
        head_sha: file.commit.sha ?? '',
      });
      expect((await bot.rest.checks.get({ ...repo, check_run_id: run.id })).data.check_suite?.id).toBe(
        suite?.id,
      );
      const { data: runs } = await bot.rest.checks.listForSuite({ ...repo, check_suite_id: suite?.id ?? 0 });
      expect(runs.check_runs.map((r) => r.name)).toEqual(['lint']);

      await forge.idle();
      const asApp = h().clients.client(h().appJwt());
      const { data: log } = await asApp.rest.apps.listWebhookDeliveries({ per_page: 100 });
      const original = log.find((d) => d.guid === requested.id);
      if (!original) throw new Error('the check_suite delivery is not in the log');
      const before = hooks.deliveries.filter((d) => d.id === requested.id).length;
      const { status } = await asApp.rest.apps.redeliverWebhookDelivery({ delivery_id: original.id });
      expect(status).toBe(202);
      await forge.idle();
      expect(hooks.deliveries.filter((d) => d.id === requested.id).length).toBe(before + 1);
      const { data: after } = await asApp.rest.apps.listWebhookDeliveries({ per_page: 100 });
      expect(after.find((d) => d.guid === requested.id && d.redelivery)).toBeDefined();
      expect(await statusOf(asApp.rest.apps.redeliverWebhookDelivery({ delivery_id: 999_999 }))).toBe(404);
    });
  });
}
