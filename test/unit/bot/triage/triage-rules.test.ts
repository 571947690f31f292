import { describe, expect, it } from 'vitest';
import { defaultRepoConfig } from '../../../../bot/config/parse-repo-config.js';
import { repoConfigSchema } from '../../../../bot/config/repo-config-schema.js';
import { areaLabels } from '../../../../bot/triage/area-labels.js';
import { kindLabelFor } from '../../../../bot/triage/conventional-kind.js';
import { decideLabelCommands, parseLabelCommands } from '../../../../bot/triage/label-command.js';
import { planLabelSync } from '../../../../bot/triage/label-sync.js';
import { findMilestone, milestoneTitleFor } from '../../../../bot/triage/milestone-for-branch.js';
import type { ChangedFile, PullRequestFacts } from '../../../../bot/triage/pull-request-facts.js';
import { labelsForReview, reviewStateChangesLabels } from '../../../../bot/triage/review-labels.js';
import { measure, sizeOf } from '../../../../bot/triage/size-label.js';
import { triageOpenedIssue } from '../../../../bot/triage/triage-issue.js';
import { triagePullRequest } from '../../../../bot/triage/triage-pull-request.js';
import { isFirstContribution, welcomeComment } from '../../../../bot/triage/welcome-comment.js';

const config = defaultRepoConfig();
const triage = config.triage;
const file = (filename: string, additions = 1, deletions = 0): ChangedFile => ({
  filename,
  additions,
  deletions,
});
const pr = (over: Partial<PullRequestFacts> = {}): PullRequestFacts => ({
  number: 7,
  title: 'Tidy the proxy',
  labels: [],
  baseRef: 'master',
  milestone: undefined,
  files: [file('proxy/server.ts')],
  ...over,
});

describe('issues', () => {
  it('labels a new issue without labels as needing triage, and leaves labelled ones alone', () => {
    expect(triageOpenedIssue({ number: 1, labels: [] }, triage)).toEqual([
      { type: 'add-labels', issue: 1, labels: ['status/0-needs-triage'], reason: 'new issue without labels' },
    ]);
    expect(triageOpenedIssue({ number: 1, labels: ['kind/question'] }, triage)).toEqual([]);
    const off = repoConfigSchema.parse({ triage: { needsTriage: { enabled: false } } }).triage;
    expect(triageOpenedIssue({ number: 1, labels: [] }, off)).toEqual([]);
  });
});

describe('area labels', () => {
  const areas = repoConfigSchema.parse({
    triage: {
      areas: {
        rules: [
          { label: 'area/proxy', paths: ['proxy/**'], excludedPaths: ['proxy/**/*.md'] },
          { label: 'area/api', paths: ['^src/api/', '\\.proto$'], syntax: 'regex' },
          { label: 'area/documentation', paths: ['docs/**', '**/*.md'] },
        ],
        excludedPaths: ['vendor/**'],
      },
    },
  }).triage.areas;

  it('matches globs and regexes against each changed file, in rule order', () => {
    expect(areaLabels([file('docs/a.md'), file('src/api/x.ts'), file('proxy/a.ts')], areas)).toEqual([
      'area/proxy',
      'area/api',
      'area/documentation',
    ]);
    expect(areaLabels([file('lib/svc.proto')], areas)).toEqual(['area/api']);
  });

  it('honours rule and global excluded paths', () => {
    expect(areaLabels([file('proxy/README.md')], areas)).toEqual(['area/documentation']);
    expect(areaLabels([file('vendor/x/README.md')], areas)).toEqual([]);
  });
});

describe('size', () => {
  const { limits } = triage.size;
  const lines = (additions: number, deletions: number, count = 1) =>
    Array.from({ length: count }, (_, i) => file(`f${i}`, i === 0 ? additions : 0, i === 0 ? deletions : 0));

  it('is S below every S limit, M below every M limit, else L (strictly below)', () => {
    expect(sizeOf(measure(lines(100, 40), []), limits)).toBe('S');
    expect(sizeOf(measure(lines(149, 0), []), limits)).toBe('M'); // diff 149 ≥ 70
    expect(sizeOf(measure(lines(75, 74), []), limits)).toBe('S'); // sum 149, diff 1
    expect(sizeOf(measure(lines(75, 75), []), limits)).toBe('M'); // sum 150 is not below 150
    expect(sizeOf(measure(lines(1, 0, 20), []), limits)).toBe('M'); // 20 files is not below 20
    expect(sizeOf(measure(lines(200, 199, 49), []), limits)).toBe('M');
    expect(sizeOf(measure(lines(200, 200, 10), []), limits)).toBe('L'); // sum 400
    expect(sizeOf(measure(lines(1, 0, 50), []), limits)).toBe('L');
  });

  it('leaves excluded paths out of every count', () => {
    const files = [file('package-lock.json', 5000, 4000), file('src/a.ts', 3, 1)];
    expect(measure(files, ['package-lock.json'])).toEqual({ sum: 4, diff: 2, files: 1 });
  });
});

describe('milestones and kinds', () => {
  it('maps release branches to milestone titles', () => {
    expect(milestoneTitleFor('v1.4', triage.milestone.branchPattern)).toBe('1.4');
    expect(milestoneTitleFor('2.11', triage.milestone.branchPattern)).toBe('2.11');
    expect(milestoneTitleFor('master', triage.milestone.branchPattern)).toBeUndefined();
    const milestones = [
      { number: 1, title: '1.3', state: 'open' as const },
      { number: 2, title: 'v1.4', state: 'open' as const },
      { number: 3, title: '1.5', state: 'closed' as const },
    ];
    expect(findMilestone(milestones, '1.4')?.number).toBe(2);
    expect(findMilestone(milestones, '1.5')).toBeUndefined();
  });

  it('reads the kind from a conventional-commit title', () => {
    expect(kindLabelFor('feat(proxy): add retries', triage.kind)).toBe('kind/enhancement');
    expect(kindLabelFor('fix!: drop the old flag', triage.kind)).toBe('kind/bug/fix');
    expect(kindLabelFor('docs: explain', triage.kind)).toBe('area/documentation');
    expect(kindLabelFor('chore: bump', triage.kind)).toBeUndefined();
    expect(kindLabelFor('Tidy the thing', triage.kind)).toBeUndefined();
  });
});

describe('parity with aloba', () => {
  it('reads area rules in RE2/Go syntax, and a rule that does not compile matches nothing', () => {
    const areas = repoConfigSchema.parse({
      triage: {
        areas: {
          rules: [
            { label: 'area/provider/consul', paths: ['(?i).*(consul).*'], syntax: 'regex' },
            { label: 'area/broken', paths: ['(?<=x)y', '('], syntax: 'regex' },
            { label: 'area/k8s', paths: ['^pkg/provider/kubernetes/'], syntax: 'regex' },
          ],
        },
      },
    }).triage.areas;
    expect(
      areaLabels([file('pkg/provider/Consul/catalog.go'), file('pkg/provider/kubernetes/crd.go')], areas),
    ).toEqual(['area/provider/consul', 'area/k8s']);
    expect(areaLabels([file('xy'), file('(')], areas)).toEqual([]);
  });

  it('leaves vendor/ out of the size by default', () => {
    const files = [file('vendor/github.com/x/y.go', 5000, 0), file('pkg/a.go', 10, 2)];
    expect(measure(files, triage.size.excludedPaths)).toEqual({ sum: 12, diff: 8, files: 1 });
    const actions = triagePullRequest(pr({ labels: ['status/2-needs-review'], files }), triage, []);
    expect(actions[0]).toMatchObject({ labels: expect.arrayContaining(['size/S']) });
  });

  it('falls back to a closed milestone when no open one matches, preferring an open one', () => {
    const milestones = [
      { number: 3, title: '1.5', state: 'closed' as const },
      { number: 4, title: 'v1.6', state: 'closed' as const },
      { number: 5, title: '1.6', state: 'open' as const },
    ];
    expect(findMilestone(milestones, '1.5', true)?.number).toBe(3);
    expect(findMilestone(milestones, '1.6', true)?.number).toBe(5);
    const actions = triagePullRequest(
      pr({ labels: ['status/2-needs-review'], baseRef: 'v1.5' }),
      triage,
      milestones,
    );
    expect(actions.at(-1)).toMatchObject({ type: 'set-milestone', milestone: 3 });
    const openOnly = repoConfigSchema.parse({ triage: { milestone: { includeClosed: false } } }).triage;
    expect(
      triagePullRequest(
        pr({ labels: ['status/2-needs-review'], baseRef: 'v1.5' }),
        openOnly,
        milestones,
      ).filter((a) => a.type === 'set-milestone'),
    ).toEqual([]);
  });

  it('reads the kind from a Traefik-style imperative title when there is no conventional prefix', () => {
    expect(kindLabelFor('Fix the retry of the forwarder', triage.kind)).toBe('kind/bug/fix');
    expect(kindLabelFor('[k8s] Add support for IngressClass', triage.kind)).toBe('kind/enhancement');
    expect(kindLabelFor('Support HTTP/3 on entry points', triage.kind)).toBe('kind/enhancement');
    expect(kindLabelFor('Bump github.com/x/y from 1.2.0 to 1.3.0', triage.kind)).toBe('kind/enhancement');
    expect(kindLabelFor('Fixed typo', triage.kind)).toBeUndefined();
    // A conventional prefix wins over the verb after it.
    expect(kindLabelFor('docs: fix a link', triage.kind)).toBe('area/documentation');
  });

  it('counts a WIP label or a draft as a status, and adds needs-triage only at opening', () => {
    const labelsAdded = (facts: Partial<PullRequestFacts>) =>
      triagePullRequest(pr(facts), triage, []).flatMap((a) => (a.type === 'add-labels' ? a.labels : []));
    expect(labelsAdded({ opening: true })).toContain('status/0-needs-triage');
    expect(labelsAdded({ opening: true, labels: ['WIP'] })).not.toContain('status/0-needs-triage');
    expect(labelsAdded({ opening: true, draft: true })).not.toContain('status/0-needs-triage');
    // A push to a PR whose status label a maintainer removed does not bring it back.
    expect(labelsAdded({ opening: false })).not.toContain('status/0-needs-triage');
  });

  it('recomputes the size on a push unless recomputeOnPush is off (aloba sizes only at opening)', () => {
    const files = Array.from({ length: 60 }, (_, i) => file(`src/f${i}.ts`, 10, 0));
    const push = pr({ labels: ['status/2-needs-review', 'size/S'], files, opening: false });
    expect(triagePullRequest(push, triage, []).map((a) => a.type)).toEqual(['add-labels', 'remove-label']);
    const atOpening = repoConfigSchema.parse({ triage: { size: { recomputeOnPush: false } } }).triage;
    expect(triagePullRequest(push, atOpening, [])).toEqual([]);
    expect(triagePullRequest({ ...push, opening: true }, atOpening, []).map((a) => a.type)).toEqual([
      'add-labels',
      'remove-label',
    ]);
  });
});

describe('pull requests', () => {
  it('adds needs-triage, areas, kind and size in one call, and the base branch’s milestone', () => {
    const actions = triagePullRequest(
      pr({ title: 'fix: typo', baseRef: 'v1.4', files: [file('docs/guide.md', 3, 1)] }),
      triage,
      [{ number: 9, title: '1.4', state: 'open' }],
    );
    expect(actions.map((a) => a.type)).toEqual(['add-labels', 'set-milestone']);
    expect(actions[0]).toMatchObject({
      labels: ['status/0-needs-triage', 'area/documentation', 'kind/bug/fix', 'size/S'],
    });
    expect(actions[1]).toMatchObject({ milestone: 9, title: '1.4' });
  });

  it('never re-applies a label that is present, in any case, nor a milestone that is set', () => {
    const actions = triagePullRequest(
      pr({ labels: ['status/2-needs-review', 'Size/S'], milestone: 3, baseRef: 'v1.4' }),
      triage,
      [{ number: 9, title: '1.4', state: 'open' }],
    );
    expect(actions).toEqual([]);
  });

  it('replaces a stale size label', () => {
    const files = Array.from({ length: 60 }, (_, i) => file(`src/f${i}.ts`, 10, 0));
    const actions = triagePullRequest(pr({ labels: ['status/2-needs-review', 'size/S'], files }), triage, []);
    expect(actions).toEqual([
      expect.objectContaining({ type: 'add-labels', labels: ['size/L'] }),
      expect.objectContaining({ type: 'remove-label', label: 'size/S' }),
    ]);
  });

  it('does nothing with triage disabled', () => {
    const off = repoConfigSchema.parse({ triage: { enabled: false } }).triage;
    expect(triagePullRequest(pr(), off, [])).toEqual([]);
  });
});

describe('reviews and welcome', () => {
  it('adds waiting-for-corrections on changes requested and removes it on approval', () => {
    expect(labelsForReview({ issue: 3, state: 'changes_requested', labels: [] }, triage)).toMatchObject([
      { type: 'add-labels', labels: ['contributor/waiting-for-corrections'] },
    ]);
    expect(
      labelsForReview(
        { issue: 3, state: 'CHANGES_REQUESTED', labels: ['contributor/waiting-for-corrections'] },
        triage,
      ),
    ).toEqual([]);
    expect(
      labelsForReview(
        { issue: 3, state: 'approved', labels: ['contributor/waiting-for-corrections'] },
        triage,
      ),
    ).toMatchObject([{ type: 'remove-label', label: 'contributor/waiting-for-corrections' }]);
    expect(labelsForReview({ issue: 3, state: 'commented', labels: [] }, triage)).toEqual([]);
  });

  it('welcomes first-time contributors only when enabled', () => {
    const on = repoConfigSchema.parse({
      triage: { welcome: { enabled: true, message: 'Hi {author}!' } },
    }).triage;
    const item = { issue: 4, author: 'ada', authorAssociation: 'FIRST_TIME_CONTRIBUTOR', authorIsBot: false };
    expect(welcomeComment(item, on)).toMatchObject([{ type: 'comment', body: 'Hi ada!' }]);
    expect(welcomeComment(item, triage)).toEqual([]);
    expect(welcomeComment({ ...item, authorAssociation: 'CONTRIBUTOR' }, on)).toEqual([]);
    expect(welcomeComment({ ...item, authorIsBot: true }, on)).toEqual([]);
  });

  it('tells up front which reviews and authors can lead to an action (so the handler can skip requests)', () => {
    expect(['approved', 'CHANGES_REQUESTED'].map(reviewStateChangesLabels)).toEqual([true, true]);
    expect(['commented', 'dismissed', 'pending'].map(reviewStateChangesLabels)).toEqual([
      false,
      false,
      false,
    ]);
    expect(['FIRST_TIMER', 'first_time_contributor'].map(isFirstContribution)).toEqual([true, true]);
    expect(['CONTRIBUTOR', 'MEMBER', 'NONE'].map(isFirstContribution)).toEqual([false, false, false]);
  });
});

describe('label sync', () => {
  const labels = repoConfigSchema.parse({
    labels: {
      definitions: [
        { name: 'kind/bug', color: 'ee0701', description: 'A bug' },
        { name: 'size/S', color: '009800' },
      ],
    },
  }).labels;

  it('creates missing labels and updates changed ones, deleting nothing by default', () => {
    const existing = [
      { name: 'Kind/Bug', color: 'EE0701', description: 'A bug' },
      { name: 'wontfix', color: 'ffffff', description: '' },
    ];
    expect(
      planLabelSync(existing, labels).map((a) => [
        a.type,
        a.type === 'create-label' || a.type === 'update-label' ? a.label.name : '',
      ]),
    ).toEqual([
      ['update-label', 'kind/bug'],
      ['create-label', 'size/S'],
    ]);
  });

  it('deletes undeclared labels only with prune', () => {
    const actions = planLabelSync([{ name: 'wontfix', color: 'ffffff', description: '' }], {
      ...labels,
      prune: true,
    });
    expect(actions.filter((a) => a.type === 'delete-label')).toMatchObject([{ name: 'wontfix' }]);
  });

  it('is a no-op when in sync or when sync is off', () => {
    const existing = labels.definitions.map((d) => ({ ...d }));
    expect(planLabelSync(existing, labels)).toEqual([]);
    expect(planLabelSync([], { ...labels, sync: false })).toEqual([]);
  });
});

describe('/label commands', () => {
  it('parses one command per line, with quoted names', () => {
    expect(
      parseLabelCommands(
        'Thanks!\n/label add area/proxy "good first issue"\r\n/LABEL remove size/L\n/labels add x',
      ),
    ).toEqual([
      { op: 'add', labels: ['area/proxy', 'good first issue'] },
      { op: 'remove', labels: ['size/L'] },
    ]);
  });

  it('applies commands from writers, skipping what is already so', () => {
    const comment = { issue: 5, author: 'maintainer', permission: 'write', labels: ['Size/L', 'area/proxy'] };
    const actions = decideLabelCommands(
      comment,
      parseLabelCommands('/label add area/proxy kind/question\n/label remove size/L area/nope'),
      triage,
    );
    expect(actions).toMatchObject([
      { type: 'add-labels', labels: ['kind/question'] },
      { type: 'remove-label', label: 'Size/L' },
    ]);
  });

  it('refuses politely for users without write permission, changing nothing', () => {
    const actions = decideLabelCommands(
      { issue: 5, author: 'visitor', permission: 'read', labels: [] },
      parseLabelCommands('/label add priority/P0'),
      triage,
    );
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ type: 'comment' });
    expect(actions[0]?.type === 'comment' && actions[0].body).toContain('Only people with write access');
  });
});
