import { describe, expect, it } from 'vitest';
import type { MergedPullRequest } from '../../../../release/changelog/changelog-entry.js';
import { repositoryLinks } from '../../../../release/changelog/repository-links.js';
import { mergeBackBase } from '../../../../release/plan/merge-back.js';
import {
  findUnfinishedReleases,
  mergeBackCascadeActions,
  planPublish,
} from '../../../../release/plan/plan-publish.js';
import { planRelease } from '../../../../release/plan/plan-release.js';
import { prepareActions } from '../../../../release/plan/prepare-actions.js';
import type { ReleaseFacts } from '../../../../release/plan/release-facts.js';

const links = repositoryLinks('https://github.com', 'acme', 'proxy');

const merged = (
  number: number,
  title: string,
  labels: string[],
  headRef = `topic-${number}`,
): MergedPullRequest => ({
  number,
  title,
  author: 'octocat',
  labels,
  mergedAt: `2025-11-0${number % 9}T10:00:00Z`,
  headRef,
  baseRef: 'main',
  mergeCommitSha: String(number).repeat(40).slice(0, 40),
});

const facts = (overrides: Partial<ReleaseFacts> = {}): ReleaseFacts => ({
  links,
  defaultBranch: 'main',
  branch: 'main',
  headSha: 'f'.repeat(40),
  branches: ['main', 'v3.5'],
  tags: [
    { name: 'v3.5.0', sha: 'a'.repeat(40), message: 'v3.5.0 Chabichou\n\ncodename: chabichou' },
    { name: 'v3.5.1', sha: 'b'.repeat(40) },
  ],
  releases: [],
  previousTag: 'v3.5.1',
  commits: [{ sha: 'c'.repeat(40), message: 'Add new certificatesresolvers options (#11977)' }],
  pullRequests: [
    merged(1, 'Add new certificatesresolvers options', ['kind/enhancement', 'area/acme']),
    merged(2, 'Add missing field', ['kind/bug/fix', 'area/middleware', 'area/provider/k8s/crd']),
    merged(3, 'Bump the CI runners', ['area/infrastructure', 'kind/enhancement']),
    merged(4, 'Merge branch v3.5 into main', [], 'v3.5'),
  ],
  changelog: undefined,
  codenames: '{\n  "v3.5": "chabichou"\n}\n',
  date: '2025-11-07',
  ...overrides,
});

describe('planRelease (pure)', () => {
  it('plans a minor from PR kind labels, with a new codename and the Traefik changelog', async () => {
    const plan = await planRelease(facts());
    expect(plan.tag).toBe('v3.6.0');
    expect(plan.reasons).toContain('#1 is labelled for a minor release');
    expect(plan.codename.source).toBe('picked');
    expect(plan.codename.slug).not.toBe('chabichou');
    expect(plan.changelogSource).toBe('pull-requests');
    // A final X.Y.0 compares from the previous line's first tag (v3.5.0 here, no candidates).
    expect(plan.compareFrom).toBe('v3.5.0');
    expect(plan.changelogSection).toBe(`## [v3.6.0](https://github.com/acme/proxy/tree/v3.6.0) (2025-11-07)
[All Commits](https://github.com/acme/proxy/compare/v3.5.0...v3.6.0)

**Enhancements:**
- **[acme]** Add new certificatesresolvers options ([#1](https://github.com/acme/proxy/pull/1) by @octocat)

**Bug fixes:**
- **[middleware, k8s/crd]** Add missing field ([#2](https://github.com/acme/proxy/pull/2) by @octocat)

**Misc:**
- Merge branch v3.5 into main ([#4](https://github.com/acme/proxy/pull/4) by @octocat)
`);
    const withoutMergeBacks = await planRelease(facts(), {
      changelogStyle: { contributors: 'link', mergeBacks: false },
    });
    expect(withoutMergeBacks.changelogSection).not.toContain('**Misc:**');
    expect(withoutMergeBacks.changelogSection).toContain(
      '([#1](https://github.com/acme/proxy/pull/1) by [octocat](https://github.com/octocat))',
    );
    expect(plan.files.map((f) => f.path)).toEqual(['CHANGELOG.md', 'release/codenames.json']);
    expect(JSON.parse(plan.files[1]?.content ?? '')).toEqual({
      'v3.5': 'chabichou',
      'v3.6': plan.codename.slug,
    });
    expect(plan.lineBranch).toEqual({ name: 'v3.6', create: true });
    expect(plan.mergeBack).toBeUndefined();
    expect(plan.releaseName).toBe(`v3.6.0 (${plan.codename.name})`);
    expect(plan.tagMessage).toBe(`v3.6.0 (${plan.codename.name})\n\ncodename: ${plan.codename.slug}\n`);
    expect(plan.pullRequest.body).toContain(`aka \`${plan.codename.slug}\``);
  });

  it('updates the version of package.json when it has one, keeping its layout', async () => {
    const packageJson = '{\n    "name": "proxy",\n    "version": "3.5.1",\n    "private": true\n}\n';
    const plan = await planRelease(facts({ packageJson }));
    expect(plan.files.map((f) => f.path)).toEqual(['CHANGELOG.md', 'release/codenames.json', 'package.json']);
    expect(plan.files[2]?.content).toBe(
      '{\n    "name": "proxy",\n    "version": "3.6.0",\n    "private": true\n}\n',
    );
    const withoutVersion = await planRelease(facts({ packageJson: '{"name": "root", "private": true}' }));
    expect(withoutVersion.files.map((f) => f.path)).toEqual(['CHANGELOG.md', 'release/codenames.json']);
    await expect(planRelease(facts({ packageJson: '{"version": ' }))).rejects.toThrow(
      /AFF_ERR_RELEASE_PACKAGE_JSON/,
    );
  });

  it('is deterministic: the same facts give the same plan (dry run and real run agree)', async () => {
    expect(await planRelease(facts())).toEqual(await planRelease(facts()));
  });

  it('plans a patch on a release branch with the line codename and a merge-back as data', async () => {
    const plan = await planRelease(
      facts({
        branch: 'v3.5',
        pullRequests: [merged(5, 'Fix a crash', ['kind/bug/fix'])],
        commits: [{ sha: 'd'.repeat(40), message: 'Fix a crash' }],
      }),
    );
    expect(plan.tag).toBe('v3.5.2');
    expect(plan.codename).toEqual({ name: 'Chabichou', slug: 'chabichou', source: 'history' });
    expect(plan.lineBranch.create).toBe(false);
    expect(plan.mergeBack).toMatchObject({
      head: 'v3.5',
      base: 'main',
      title: 'Merge branch v3.5 into main',
      labels: ['bot/light-review', 'bot/merge-method-ff', 'status/3-needs-merge'],
    });
  });

  it('merges a patch back into the newest line first, with the repository’s own labels', async () => {
    const plan = await planRelease(
      facts({
        branch: 'v3.4',
        branches: ['main', 'v3.4', 'v3.5', 'v2.11', 'v3.10'],
        tags: [{ name: 'v3.4.0', sha: 'a'.repeat(40), message: 'v3.4.0\n\ncodename: cantal' }],
        previousTag: 'v3.4.0',
        pullRequests: [merged(5, 'Fix a crash', ['kind/bug/fix'])],
      }),
      {
        mergeBackLabels: { ready: 'queue/ready', lightReview: 'review/light', method: 'bot/merge-method-ff' },
      },
    );
    expect(plan.tag).toBe('v3.4.1');
    // Numeric order (v3.10 > v3.5), and the unmaintained v3.5 in between is skipped, as Traefik
    // merges v2.11 straight into v3.6.
    expect(plan.mergeBack).toMatchObject({
      head: 'v3.4',
      base: 'v3.10',
      title: 'Merge branch v3.4 into v3.10',
      labels: ['review/light', 'bot/merge-method-ff', 'queue/ready'],
    });
    expect(plan.mergeBack?.body).toContain('never rebase or force-push it');
  });

  it('turns into a release PR on a forge, and into a commit on the branch in a clone', async () => {
    const plan = await planRelease(facts());
    const onForge = prepareActions(plan, { pullRequests: true, releases: true });
    expect(onForge.map((a) => a.kind)).toEqual(['commit-files', 'open-pull-request']);
    expect(onForge[0]).toMatchObject({ branch: 'release/v3.6.0', base: 'main' });
    expect(onForge[1]).toMatchObject({
      purpose: 'release',
      title: 'Prepare release v3.6.0',
      labels: ['area/documentation', 'bot/light-review', 'size/S'],
    });
    const inClone = prepareActions(plan, { pullRequests: false, releases: false });
    expect(inClone).toEqual([
      expect.objectContaining({ kind: 'commit-files', branch: 'main', base: 'main' }),
    ]);
  });
});

describe('planPublish and findUnfinishedReleases (pure)', () => {
  const changelog = `## [v3.5.2](https://github.com/acme/proxy/tree/v3.5.2) (2025-11-07)\n[All Commits](https://github.com/acme/proxy/compare/v3.5.1...v3.5.2)\n\n**Bug fixes:**\n- Fix a crash ([#5](https://github.com/acme/proxy/pull/5) by [octocat](https://github.com/octocat))\n`;
  const publishFacts = {
    proposal: { tag: 'v3.5.2', sha: 'e'.repeat(40), pullRequest: 6, branch: 'v3.5' },
    branch: 'v3.5',
    defaultBranch: 'main',
    branches: ['main', 'v3.5'],
    tags: [{ name: 'v3.5.1', sha: 'b'.repeat(40) }],
    releases: [],
    changelog,
    codenames: '{"v3.5": "chabichou"}',
  };

  it('tags, releases with the changelog section as notes, and opens the merge-back PR', () => {
    const plan = planPublish(publishFacts, { pullRequests: true, releases: true });
    expect(plan.releaseName).toBe('v3.5.2 (Chabichou)');
    expect(plan.actions).toEqual([
      {
        kind: 'create-tag',
        tag: 'v3.5.2',
        sha: 'e'.repeat(40),
        message: 'v3.5.2 (Chabichou)\n\ncodename: chabichou\n',
      },
      {
        kind: 'create-release',
        tag: 'v3.5.2',
        name: 'v3.5.2 (Chabichou)',
        body: changelog,
        prerelease: false,
      },
      expect.objectContaining({
        kind: 'open-pull-request',
        purpose: 'merge-back',
        head: 'v3.5',
        base: 'main',
      }),
    ]);
  });

  it('publishes a release candidate as a pre-release, without a release branch or merge-back', () => {
    const rcChangelog = changelog.replaceAll('v3.5.2', 'v3.6.0-rc.1');
    const plan = planPublish(
      {
        ...publishFacts,
        proposal: { tag: 'v3.6.0-rc.1', sha: 'f'.repeat(40), pullRequest: 7, branch: 'main' },
        branch: 'main',
        changelog: rcChangelog,
        codenames: '{"v3.5": "chabichou", "v3.6": "ramequin"}',
      },
      { pullRequests: true, releases: true },
    );
    expect(plan.releaseName).toBe('v3.6.0-rc.1 (Ramequin)');
    expect(plan.prerelease).toBe(true);
    expect(plan.actions.map((a) => a.kind)).toEqual(['create-tag', 'create-release']);
    expect(plan.actions[1]).toMatchObject({ kind: 'create-release', prerelease: true });
  });

  it('refuses to publish a commit whose changelog lacks the release', () => {
    expect(() =>
      planPublish({ ...publishFacts, changelog: '' }, { pullRequests: true, releases: true }),
    ).toThrow(/AFF_ERR_RELEASE_NOT_PREPARED/);
  });

  it('continues a merge-back cascade one line at a time, and stops at the default branch', () => {
    // Traefik keeps its old branches (v3.5 here) but merges v2.11 straight into the newest line.
    const train = { defaultBranch: 'master', branches: ['master', 'v2.11', 'v3.6', 'v3.5', 'feature'] };
    expect(mergeBackBase('v2.11', train)).toBe('v3.6');
    expect(mergeBackBase('v3.5', train)).toBe('v3.6');
    expect(mergeBackBase('v3.6', train)).toBe('master');
    expect(mergeBackBase('feature', train)).toBeUndefined();
    expect(mergeBackCascadeActions({ number: 12, head: 'v2.11', base: 'v3.6' }, train)).toEqual([
      expect.objectContaining({
        kind: 'open-pull-request',
        purpose: 'merge-back',
        head: 'v3.6',
        base: 'master',
        title: 'Merge branch v3.6 into master',
        labels: ['bot/light-review', 'bot/merge-method-ff', 'status/3-needs-merge'],
      }),
    ]);
    // The last hop, and PRs that are not merge-backs, lead nowhere.
    expect(mergeBackCascadeActions({ number: 14, head: 'v3.6', base: 'master' }, train)).toEqual([]);
    expect(mergeBackCascadeActions({ number: 15, head: 'feature', base: 'v3.6' }, train)).toEqual([]);
    expect(mergeBackCascadeActions({ number: 16, head: 'release/v3.6.1', base: 'v3.6' }, train)).toEqual([]);
  });

  it('finds merged release proposals that were never tagged, once each', () => {
    const proposals = [
      { tag: 'v3.6.0', sha: '1'.repeat(40), pullRequest: 9, branch: 'main' },
      { tag: 'v3.5.2', sha: '2'.repeat(40), pullRequest: 8, branch: 'v3.5' },
      { tag: 'v3.5.1', sha: '3'.repeat(40), pullRequest: 7, branch: 'v3.5' },
      { tag: 'v3.6.0', sha: '4'.repeat(40), pullRequest: 5, branch: 'main' },
    ];
    expect(findUnfinishedReleases(proposals, [{ name: 'v3.5.1' }]).map((p) => p.pullRequest)).toEqual([9, 8]);
  });
});
