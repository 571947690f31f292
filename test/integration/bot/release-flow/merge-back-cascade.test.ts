/**
 * Traefik's release train against the sandbox forge with real git: a patch on the oldest line
 * `v0.1` is merged back one line at a time (`v0.1 → v0.2`, then `v0.2 → main`), each hop a
 * light-review PR put in the merge queue, opened by the bot when the previous one is merged.
 * Release branches, protected against force-pushes, are never rewritten: `v0.1` keeps its exact
 * commit and its tag throughout.
 * The release CLI then plans against the same forge, with the changelog settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitClient } from '../../../support/forge-git.js';
import { affineur } from '../../../support/run-affineur.js';
import { type ReleaseFlowRig, startReleaseFlowRig } from './release-flow-kit.js';

let rig: ReleaseFlowRig;
let work: GitClient;
const repo = () => ({ owner: rig.owner, repo: rig.repo });
const maintainer = () => rig.as('maintainer');

beforeAll(async () => {
  rig = await startReleaseFlowRig(['maintainer'], 'train');
  await rig.as('admin').rest.repos.addCollaborator({ ...repo(), username: 'maintainer', permission: 'push' });
  work = await rig.clone('maintainer');
  // Two released lines, as `publish` leaves them: an annotated tag with the codename, and the
  // line's branch at that tag.
  await work.commitFile('proxy.txt', 'v0.1\n', 'feat: first line');
  await work.run('tag', '-a', 'v0.1.0', '-m', 'v0.1.0 (Reblochon)\n\ncodename: reblochon');
  await work.run('branch', 'v0.1');
  await work.commitFile('proxy.txt', 'v0.2\n', 'feat: second line');
  await work.run('tag', '-a', 'v0.2.0', '-m', 'v0.2.0 (Camembert)\n\ncodename: camembert');
  await work.run('branch', 'v0.2');
  await work.run('push', '--quiet', 'origin', 'main', 'v0.1', 'v0.2', 'v0.1.0', 'v0.2.0');
  // Release branches protected as a maintainer would: no force-push, changes through PRs only.
  for (const branch of ['v0.1', 'v0.2']) {
    await rig.as('admin').rest.repos.updateBranchProtection({
      ...repo(),
      branch,
      required_status_checks: null,
      enforce_admins: true,
      required_pull_request_reviews: null,
      restrictions: null,
      allow_force_pushes: false,
    });
  }
  await rig.settle();
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

async function openPulls(head: string, base: string) {
  const { data } = await maintainer().rest.pulls.list({
    ...repo(),
    state: 'open',
    head: `admin:${head}`,
    base,
  });
  return data;
}

async function branchSha(branch: string): Promise<string> {
  return (await maintainer().rest.repos.getBranch({ ...repo(), branch })).data.commit.sha;
}

async function merge(number: number, method: 'merge' | 'squash'): Promise<void> {
  await maintainer().rest.pulls.merge({ ...repo(), pull_number: number, merge_method: method });
  await rig.settle();
}

describe('cascading merge-backs after a patch on the oldest line', { timeout: 240_000 }, () => {
  it('opens v0.1 → v0.2, then v0.2 → main once it is merged, and never rewrites v0.1', async () => {
    // A fix merged into v0.1, then `/release patch --branch v0.1`.
    await work.run('checkout', '--quiet', '-B', 'fix-crash', 'origin/v0.1');
    await work.commitFile('fix.txt', 'fixed\n', 'Fix a crash on empty headers');
    await work.run('push', '--quiet', 'origin', 'fix-crash');
    const { data: fix } = await maintainer().rest.pulls.create({
      ...repo(),
      head: 'fix-crash',
      base: 'v0.1',
      title: 'fix(server): fix a crash on empty headers',
    });
    await maintainer().rest.issues.addLabels({
      ...repo(),
      issue_number: fix.number,
      labels: ['kind/bug/fix'],
    });
    await merge(fix.number, 'squash');
    const { data: issue } = await maintainer().rest.issues.create({ ...repo(), title: 'Release 0.1.1' });
    await maintainer().rest.issues.createComment({
      ...repo(),
      issue_number: issue.number,
      body: '/release patch --branch v0.1',
    });
    await rig.settle();
    const [prepare] = await openPulls('release/v0.1.1', 'v0.1');
    expect(prepare?.title).toBe('Prepare release v0.1.1');
    await merge(prepare?.number as number, 'merge');

    // Published, and the first hop goes into the next newer line, not straight into main.
    const v01 = await branchSha('v0.1');
    const tag = await maintainer().rest.git.getRef({ ...repo(), ref: 'tags/v0.1.1' });
    const tagged = await maintainer().rest.git.getTag({ ...repo(), tag_sha: tag.data.object.sha });
    expect(tagged.data.object.sha).toBe(v01);
    expect(await openPulls('v0.1', 'main')).toEqual([]);
    const [first] = await openPulls('v0.1', 'v0.2');
    expect(first?.title).toBe('Merge branch v0.1 into v0.2');
    // (Triage adds its own labels beside these.)
    expect(first?.labels.map((l) => l.name)).toEqual(
      expect.arrayContaining(['bot/light-review', 'bot/merge-method-ff', 'status/3-needs-merge']),
    );
    expect(first?.body).toContain('never rebase or force-push it');

    // The merge queue (here a maintainer) merges it as it is: the bot opens the next hop.
    await merge(first?.number as number, 'merge');
    const [second] = await openPulls('v0.2', 'main');
    expect(second?.title).toBe('Merge branch v0.2 into main');
    expect(second?.labels.map((l) => l.name)).toEqual(
      expect.arrayContaining(['bot/light-review', 'bot/merge-method-ff', 'status/3-needs-merge']),
    );
    const { data: said } = await maintainer().rest.issues.listComments({
      ...repo(),
      issue_number: first?.number as number,
    });
    expect(said.map((c) => c.body).join('\n')).toContain(
      `opened #${second?.number} (**Merge branch v0.2 into main**)`,
    );

    // The last hop leads nowhere further.
    await merge(second?.number as number, 'merge');
    const { data: open } = await maintainer().rest.pulls.list({ ...repo(), state: 'open' });
    expect(open.map((p) => p.title)).toEqual([]);

    // v0.1 is exactly as the release left it, and the fix reached every newer line.
    expect(await branchSha('v0.1')).toBe(v01);
    await work.run('fetch', '--quiet', 'origin');
    expect(await work.run('show', 'origin/v0.2:fix.txt')).toBe('fixed');
    expect(await work.run('show', 'origin/main:fix.txt')).toBe('fixed');
    await work.run('merge-base', '--is-ancestor', v01, 'origin/main');
    // The protection is real: rewinding v0.1 with a force-push is refused by the forge.
    const released = (await work.run('rev-parse', 'v0.1.0^{commit}')).trim();
    await expect(
      work.run('push', '--quiet', '--force', 'origin', `${released}:refs/heads/v0.1`),
    ).rejects.toThrow(/protected/);
    expect(await branchSha('v0.1')).toBe(v01);
  });

  it('plans the next minor from the forge with merge-backs under Misc, in the chosen contributor style', async () => {
    const target = [
      '--repo',
      'admin/train',
      '--token',
      rig.token('maintainer'),
      '--api-url',
      rig.forge.apiUrl,
    ];
    const plan = (...extra: string[]) =>
      affineur(
        process.cwd(),
        'release',
        'plan',
        ...target,
        '--bump',
        'minor',
        '--date',
        '2026-07-24',
        ...extra,
      );

    const byDefault = await plan();
    expect(byDefault.err).toBe('');
    // The bot opened the merge-back, so the app is its author.
    expect(byDefault.out).toMatch(
      /^\*\*Misc:\*\*\n- Merge branch v0\.2 into main \(\[#\d+\]\(\S+\/pull\/\d+\) by @[\w-]+\[bot\]\)$/m,
    );

    const linked = await plan('--contributors', 'link');
    expect(linked.out).toMatch(
      /^- Merge branch v0\.2 into main \(\[#\d+\]\(\S+\/pull\/\d+\) by \[[\w-]+\\\[bot\\\]\]\(\S+\/apps\/[\w-]+\)\)$/m,
    );

    const without = await plan('--omit-merge-backs');
    expect(without.code).toBe(0);
    expect(without.out).not.toContain('Merge branch');
    expect(without.out).not.toContain('**Misc:**');
  });
});
