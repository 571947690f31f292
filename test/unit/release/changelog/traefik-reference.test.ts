/**
 * The writer checked line by line against real sections of traefik/traefik's CHANGELOG.md
 * (./fixtures/traefik-changelog-sections.md: source commit and MIT licence in its header).
 *
 * The pull-request data is rebuilt from each real section: number, author and areas as listed,
 * the kind label its section implies, Traefik's area labels (`area/provider/k8s/crd`), and every
 * other title written the conventional-commit way (`fix(k8s): support …`) so the prefix must go.
 * The data is fed in a scrambled order; the writer must find Traefik's sections, order and links
 * by itself.
 *
 * One deliberate difference: Traefik's sections before 2025 joined area tags with ","; ours (and
 * Traefik's since 2025) use ", ". `withSpacedAreas` rewrites the reference accordingly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MergedPullRequest } from '../../../../release/changelog/changelog-entry.js';
import { entryFromPullRequest } from '../../../../release/changelog/changelog-entry.js';
import type { ChangelogStyle } from '../../../../release/changelog/changelog-style.js';
import { entryTitle } from '../../../../release/changelog/entry-title.js';
import { changelogSectionFor } from '../../../../release/changelog/prepend-to-changelog.js';
import { renderChangelogSection } from '../../../../release/changelog/render-changelog-section.js';
import { authorUrl, pullUrl, repositoryLinks } from '../../../../release/changelog/repository-links.js';
import { planRelease } from '../../../../release/plan/plan-release.js';
import type { ReleaseFacts } from '../../../../release/plan/release-facts.js';

const fixture = readFileSync(new URL('./fixtures/traefik-changelog-sections.md', import.meta.url), 'utf8');
const links = repositoryLinks('https://github.com', 'traefik', 'traefik');
const entryLinks = { pull: (n: number) => pullUrl(links, n), author: (l: string) => authorUrl(links, l) };

function realSection(tag: string): string {
  const text = changelogSectionFor(fixture, tag);
  if (text === undefined) throw new Error(`the fixture has no section ${tag}`);
  return text;
}

/** Traefik's sections before 2025 joined areas with ","; ours (and Traefik's since) use ", ". */
const withSpacedAreas = (text: string) =>
  text.replace(/\*\*\[([^\]]+)\]\*\*/g, (_m, a: string) => `**[${a.split(/, ?/).join(', ')}]**`);

const kindOf: Record<string, string[]> = {
  Enhancements: ['kind/enhancement'],
  'Bug fixes': ['kind/bug/fix'],
  Documentation: ['area/documentation'],
  Misc: [],
};
const conventionalType: Record<string, string> = {
  Enhancements: 'feat',
  'Bug fixes': 'fix',
  Documentation: 'docs',
};
const providers = ['k8s', 'docker', 'http', 'ecs', 'consul', 'nomad', 'file', 'kv', 'redis', 'tcp'];

/** Traefik's label for an area as the changelog shows it. */
function areaLabel(area: string): string {
  if (area === 'tcp') return 'area/tcp';
  if (providers.some((p) => area === p || area.startsWith(`${p}/`))) return `area/provider/${area}`;
  if (area === 'authentication') return 'area/middleware/authentication';
  return `area/${area}`;
}

const unescapeHtml = (text: string) =>
  text.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&#34;', '"');

const entryLine =
  /^- (?:\*\*\[([^\]]+)\]\*\* )?(.+) \(\[#(\d+)\]\(https:\/\/github\.com\/traefik\/traefik\/pull\/\d+\)(?: by \[([^\]]+)\]\([^)]+\)| @(\S+))\)$/;

/**
 * The merged pull requests behind a real section, newest merge first in the section's order
 * (so the writer's sort by area tag, then newest first, must give the section back).
 */
function pullRequestsOf(section: string, base: string, mergedBefore: number): MergedPullRequest[] {
  const prs: MergedPullRequest[] = [];
  let kind = '';
  for (const line of section.split('\n')) {
    const title = /^\*\*(.+):\*\*$/.exec(line);
    if (title) {
      kind = title[1] as string;
      continue;
    }
    const match = entryLine.exec(line);
    if (!match) continue;
    const [, areas, rawTitle, number, linkAuthor, mentionAuthor] = match;
    const plainTitle = unescapeHtml(rawTitle as string);
    const mergeBack = /^Merge branch (\S+) into/.exec(plainTitle);
    const areaList = areas ? areas.split(/, ?/) : [];
    const type = conventionalType[kind];
    // Every other entry is titled the conventional way, which the changelog must undo.
    const conventional =
      type !== undefined && !mergeBack && !/^prepare release/i.test(plainTitle) && prs.length % 2 === 0;
    const scope = areaList[0] ? `(${areaList[0]})` : '';
    prs.push({
      number: Number(number),
      title: conventional
        ? `${type}${scope}: ${plainTitle.charAt(0).toLowerCase()}${plainTitle.slice(1)}`
        : plainTitle,
      author: (linkAuthor ?? mentionAuthor) as string,
      labels: [...(kindOf[kind] ?? []), ...areaList.map(areaLabel)],
      mergedAt: new Date(mergedBefore - (prs.length + 1) * 60_000).toISOString(),
      headRef: mergeBack ? (mergeBack[1] as string) : `topic-${number}`,
      baseRef: base,
      mergeCommitSha: String(number).padEnd(40, '0'),
    });
  }
  return prs;
}

/** A fixed shuffle: the writer must not depend on the input order. */
const scrambled = <T>(items: readonly T[]): T[] =>
  items
    .map((item, i) => ({ item, key: (i * 7919) % 101 }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);

function render(
  tag: string,
  previousTag: string | null,
  date: string,
  prs: readonly MergedPullRequest[],
  style: ChangelogStyle,
): string {
  const newestFirst = [...prs].sort((a, b) => b.mergedAt.localeCompare(a.mergedAt));
  const entries = newestFirst.flatMap((p) => entryFromPullRequest(p, entryLinks, style) ?? []);
  return renderChangelogSection({ tag, previousTag, date, links }, entries, style.contributors);
}

const infrastructure = (number: number): MergedPullRequest => ({
  number,
  title: 'ci: update the CI runners',
  author: 'ldez',
  labels: ['area/infrastructure', 'kind/enhancement'],
  mergedAt: '2024-12-01T00:00:00.000Z',
  headRef: 'ci-runners',
  baseRef: 'master',
  mergeCommitSha: 'c'.repeat(40),
});

const tag = (name: string) => ({ name, sha: name.padEnd(40, '0') });

describe('changelog sections written as traefik/traefik CHANGELOG.md writes them', () => {
  it('v3.3.0: a final after two candidates covers the whole line and compares from v3.2.0-rc1', async () => {
    const reference = withSpacedAreas(realSection('v3.3.0'));
    const wholeLine = pullRequestsOf(reference, 'master', Date.UTC(2025, 0, 6));
    // Since the last candidate, only the latest merge-backs were merged.
    const sinceRc2 = wholeLine.filter((p) => [11402, 11393, 11389].includes(p.number));
    const facts: ReleaseFacts = {
      links,
      defaultBranch: 'master',
      branch: 'master',
      headSha: 'f'.repeat(40),
      branches: ['master', 'v3.2'],
      tags: [
        'v3.2.0-rc1',
        'v3.2.0-rc2',
        'v3.2.0',
        'v3.2.1',
        'v3.2.2',
        'v3.2.3',
        'v3.3.0-rc1',
        'v3.3.0-rc2',
      ].map(tag),
      releases: [],
      previousTag: 'v3.3.0-rc2',
      commits: [],
      pullRequests: scrambled(sinceRc2),
      wholeLine: {
        since: 'v3.2.3',
        commits: [],
        pullRequests: scrambled([...wholeLine, infrastructure(11300)]),
      },
      changelog: undefined,
      codenames: '{"v3.2": "cantal", "v3.3": "saintnectaire"}',
      date: '2025-01-06',
    };
    const plan = await planRelease(facts, { changelogStyle: { contributors: 'link' } });
    expect(plan.tag).toBe('v3.3.0');
    expect(plan.compareFrom).toBe('v3.2.0-rc1');
    expect(plan.changelogSection.split('\n')).toEqual(reference.split('\n'));

    // The same line without its candidates' history would be a three-line Misc section: the
    // whole-line facts are what make the difference.
    const onlySinceRc2 = await planRelease(
      { ...facts, wholeLine: undefined },
      { changelogStyle: { contributors: 'link' } },
    );
    expect(onlySinceRc2.changelogSection).not.toContain('**Enhancements:**');
  });

  it('v3.3.0-rc2: a candidate compares from the previous candidate', () => {
    const reference = withSpacedAreas(realSection('v3.3.0-rc2'));
    const prs = pullRequestsOf(reference, 'master', Date.UTC(2024, 11, 20));
    const section = render('v3.3.0-rc2', 'v3.3.0-rc1', '2024-12-20', scrambled(prs), {
      contributors: 'link',
      mergeBacks: true,
    });
    expect(section.split('\n')).toEqual(reference.split('\n'));
  });

  it('v3.2.4: a patch with merge-backs under Misc, planned on its release branch', async () => {
    const reference = withSpacedAreas(realSection('v3.2.4'));
    const prs = pullRequestsOf(reference, 'v3.2', Date.UTC(2025, 0, 6));
    const plan = await planRelease(
      {
        links,
        defaultBranch: 'master',
        branch: 'v3.2',
        headSha: 'f'.repeat(40),
        branches: ['master', 'v2.11', 'v3.2', 'v3.3'],
        tags: ['v3.2.0', 'v3.2.1', 'v3.2.2', 'v3.2.3'].map(tag),
        releases: [],
        previousTag: 'v3.2.3',
        commits: [],
        pullRequests: scrambled([...prs, infrastructure(11350)]),
        changelog: undefined,
        codenames: '{"v3.2": "cantal"}',
        date: '2025-01-06',
      },
      { changelogStyle: { contributors: 'link' } },
    );
    expect(plan.tag).toBe('v3.2.4');
    expect(plan.changelogSection.split('\n')).toEqual(reference.split('\n'));
    // Traefik's train: v3.2 goes into the next newer line first, not straight into master.
    expect(plan.mergeBack).toMatchObject({
      head: 'v3.2',
      base: 'v3.3',
      title: 'Merge branch v3.2 into v3.3',
      labels: ['bot/light-review', 'bot/merge-method-ff', 'status/3-needs-merge'],
    });
  });

  it('v3.2.4 without merge-backs when the repository leaves them out', () => {
    const reference = withSpacedAreas(realSection('v3.2.4'));
    const prs = pullRequestsOf(reference, 'v3.2', Date.UTC(2025, 0, 6));
    const section = render('v3.2.4', 'v3.2.3', '2025-01-06', scrambled(prs), {
      contributors: 'link',
      mergeBacks: false,
    });
    const withoutMisc = reference.slice(0, reference.indexOf('\n**Misc:**'));
    expect(section.split('\n')).toEqual(withoutMisc.split('\n'));
  });

  it('v3.7.9: a patch in Traefik’s current `@login` style, titles as written', () => {
    const reference = realSection('v3.7.9');
    const prs = pullRequestsOf(reference, 'v3.7', Date.UTC(2026, 6, 24));
    const section = render('v3.7.9', 'v3.7.8', '2026-07-24', scrambled(prs), {
      contributors: 'mention',
      mergeBacks: true,
    });
    expect(section.split('\n')).toEqual(reference.split('\n'));
  });

  it('v3.7.9 in the default style: `by @login`', () => {
    const reference = realSection('v3.7.9');
    const prs = pullRequestsOf(reference, 'v3.7', Date.UTC(2026, 6, 24));
    const section = render('v3.7.9', 'v3.7.8', '2026-07-24', scrambled(prs), {
      contributors: 'by-mention',
      mergeBacks: true,
    });
    expect(section.split('\n')).toEqual(reference.replace(/\) @(\S+)\)$/gm, ') by @$1)').split('\n'));
  });
});

describe('entry titles', () => {
  it('lose a conventional-commit prefix, and keep anything else as written', () => {
    expect(entryTitle('feat(proxy): add x')).toBe('Add x');
    expect(entryTitle('fix!: drop the old flag')).toBe('Drop the old flag');
    expect(entryTitle('Docs(acme, tls): explain the resolver')).toBe('Explain the resolver');
    expect(entryTitle('feat: add a brie middleware')).toBe('Add a brie middleware');
    expect(entryTitle('k8s: fix the status')).toBe('k8s: fix the status');
    expect(entryTitle('Merge branch v2.11 into v3.6')).toBe('Merge branch v2.11 into v3.6');
    expect(entryTitle('  Fix: ')).toBe('Fix:');
  });
});

describe('changelog links', () => {
  const pr = (number: number, title: string, author: string, labels: string[]): MergedPullRequest => ({
    number,
    title,
    author,
    labels,
    mergedAt: '2025-01-02T00:00:00.000Z',
    headRef: 'topic',
    baseRef: 'main',
    mergeCommitSha: null,
  });

  it('use the repository host, for GitHub Enterprise or the sandbox forge too', () => {
    const ghe = repositoryLinks('https://ghe.example.com/', 'acme', 'proxy');
    const entry = entryFromPullRequest(
      pr(7, 'feat: add retry', 'octocat', ['kind/enhancement', 'platform/arm64']),
      {
        pull: (n) => pullUrl(ghe, n),
        author: (l) => authorUrl(ghe, l),
      },
    );
    const heading = { tag: 'v1.1.0', previousTag: 'v1.0.0', date: '2025-01-02', links: ghe };
    const entries = entry ? [entry] : [];
    expect(
      renderChangelogSection(heading, entries, 'link'),
    ).toBe(`## [v1.1.0](https://ghe.example.com/acme/proxy/tree/v1.1.0) (2025-01-02)
[All Commits](https://ghe.example.com/acme/proxy/compare/v1.0.0...v1.1.0)

**Enhancements:**
- **[arm64]** Add retry ([#7](https://ghe.example.com/acme/proxy/pull/7) by [octocat](https://ghe.example.com/octocat))
`);
    expect(renderChangelogSection(heading, entries)).toContain(
      '- **[arm64]** Add retry ([#7](https://ghe.example.com/acme/proxy/pull/7) by @octocat)',
    );
  });

  it('link GitHub Apps under /apps/ and escape their brackets', () => {
    const entry = entryFromPullRequest(
      pr(8, 'Bump lego', 'dependabot[bot]', ['kind/bug/fix', 'area/acme']),
      entryLinks,
    );
    const section = renderChangelogSection(
      { tag: 'v1.0.0', previousTag: null, date: '2025-01-02', links },
      entry ? [entry] : [],
      'link',
    );
    expect(section).toContain('[All Commits](https://github.com/traefik/traefik/commits/v1.0.0)');
    expect(section).toContain('by [dependabot\\[bot\\]](https://github.com/apps/dependabot))');
  });
});
