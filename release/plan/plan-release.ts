/**
 * Step 2 of the pipeline: decides a release from collected facts. No I/O happens here (the
 * function is async only because conventional-recommended-bump's API is), so the same facts
 * always give the same plan: a dry run shows exactly what the real run will do.
 */

import { AffineurError } from '../../src/errors/affineur-error.js';
import { entryFromPullRequest, type MergedPullRequest } from '../changelog/changelog-entry.js';
import { changelogFromCommits } from '../changelog/changelog-from-commits.js';
import { type ChangelogStyle, defaultChangelogStyle } from '../changelog/changelog-style.js';
import { changelogPath, prependToChangelog } from '../changelog/prepend-to-changelog.js';
import { renderChangelogSection } from '../changelog/render-changelog-section.js';
import { authorUrl, pullUrl } from '../changelog/repository-links.js';
import { type CheeseCatalog, cheeseCatalog } from '../cheeses/cheese-catalog.js';
import { type Codename, chooseCodename } from '../cheeses/choose-codename.js';
import { readCodenameHistory } from '../cheeses/codename-history.js';
import { codenamesFilePath, formatCodenamesFile, parseCodenamesFile } from '../cheeses/codenames-file.js';
import { type BumpDecision, maxBump } from '../version/bump.js';
import { bumpFromCommits } from '../version/bump-from-commits.js';
import { bumpFromLabels } from '../version/bump-from-labels.js';
import { firstTagOfLine, previousLine } from '../version/line-start.js';
import { nextVersion, type RequestedBump } from '../version/next-version.js';
import { packageJsonPath, withPackageVersion } from '../version/package-version.js';
import { requestedVersion } from '../version/requested-version.js';
import {
  formatVersion,
  isReleaseLineBranch,
  releaseLine,
  requireVersion,
  type Version,
} from '../version/version.js';
import {
  defaultMergeBackLabels,
  type MergeBackLabels,
  type MergeBackPullRequest,
  mergeBackBase,
  mergeBackPullRequest,
} from './merge-back.js';
import type { FileChange } from './release-action.js';
import type { ReleaseFacts } from './release-facts.js';
import { releaseTagMessage, releaseTitle } from './release-naming.js';

export interface ReleaseOptions {
  readonly bump?: RequestedBump | undefined;
  readonly codename?: string | undefined;
  /** The first version of a repository without release tags; 1.0.0 by default. */
  readonly initialVersion?: string | undefined;
  /** The exact version to release, instead of the one the changes call for. */
  readonly version?: string | undefined;
  /** How the changelog names contributors and whether it lists merge-backs. */
  readonly changelogStyle?: Partial<ChangelogStyle> | undefined;
  /** The labels of the merge-back PR a patch leads to. */
  readonly mergeBackLabels?: MergeBackLabels | undefined;
}

export interface ReleasePlan {
  readonly tag: string;
  readonly version: Version;
  readonly previousTag: string | null;
  /** Where the changelog's `[All Commits]` link compares from (for a final: the previous line's first tag). */
  readonly compareFrom: string | null;
  /** The release line, `v3.6`, which is also the name of its release branch. */
  readonly line: string;
  readonly codename: Codename;
  readonly prerelease: boolean;
  readonly reasons: readonly string[];
  /** Where the changelog entries came from. */
  readonly changelogSource: 'pull-requests' | 'commits';
  readonly changelogSection: string;
  /** The files the release PR (or local commit) changes, with their full new content. */
  readonly files: readonly FileChange[];
  /** The branch the release is cut from. */
  readonly branch: string;
  readonly pullRequest: { readonly head: string; readonly title: string; readonly body: string };
  readonly tagMessage: string;
  readonly releaseName: string;
  /** Created at the tag of a new line's final X.Y.0; later patches are cut from it. */
  readonly lineBranch: { readonly name: string; readonly create: boolean };
  /** After a patch on a release branch: bring it into the newest line, or the default branch. */
  readonly mergeBack: MergeBackPullRequest | undefined;
}

export async function planRelease(
  facts: ReleaseFacts,
  options: ReleaseOptions = {},
  catalog: CheeseCatalog = cheeseCatalog,
): Promise<ReleasePlan> {
  // 1. Where we start from.
  const previous = facts.previousTag === null ? null : requireVersion(facts.previousTag, 'previous tag');
  const onReleaseBranch = isReleaseLineBranch(facts.branch);

  // 2. What the changes call for: conventional commits and PR kind labels, the larger wins.
  const changes = await combinedBump(facts);

  // 3. The version.
  const initialVersion =
    options.initialVersion === undefined
      ? undefined
      : requireVersion(options.initialVersion, '--initial-version');
  const next =
    options.version === undefined
      ? nextVersion({ previous, changes, requested: options.bump, initialVersion, onReleaseBranch })
      : requestedVersion(options.version, {
          previous,
          branch: facts.branch,
          onReleaseBranch,
          tags: facts.tags,
        });
  const version = next.version;
  const tag = formatVersion(version);
  const line = releaseLine(version);
  const isPatch = version.patch > 0;
  if (isPatch && !onReleaseBranch && facts.branches.includes(line)) {
    throw new AffineurError(
      'AFF_ERR_RELEASE_BAD_BUMP',
      `${tag} is a patch of ${line}, which has a release branch.`,
      {
        hint: `Patches are cut from their release branch: run again with --branch ${line}.`,
      },
    );
  }

  // 4. The codename: the line's own, or a new cheese for a new line.
  const record = parseCodenamesFile(facts.codenames);
  const history = readCodenameHistory({ record, tags: facts.tags, releases: facts.releases }, catalog);
  const codename = chooseCodename({ line, history, requested: options.codename, catalog });

  // 5. The changelog section. A final vX.Y.0 covers its whole line since the previous line
  //    (candidates included) and compares from the previous line's first tag, as Traefik's does.
  const style = { ...defaultChangelogStyle, ...options.changelogStyle };
  const isFinal = version.prerelease === null && version.patch === 0;
  const range =
    isFinal && facts.wholeLine !== undefined && previous !== null && releaseLine(previous) === line
      ? facts.wholeLine
      : facts;
  const olderLine = isFinal ? previousLine(facts.tags, version) : null;
  const compareFrom = isFinal
    ? olderLine === null
      ? null
      : firstTagOfLine(facts.tags, olderLine)
    : facts.previousTag;
  const heading = { tag, previousTag: compareFrom, date: facts.date, links: facts.links };
  const changelogSource = range.pullRequests === undefined ? 'commits' : 'pull-requests';
  const changelogSection =
    range.pullRequests === undefined
      ? await changelogFromCommits(heading, range.commits)
      : renderChangelogSection(
          heading,
          entriesFromPullRequests(range.pullRequests, facts, style),
          style.contributors,
        );

  // 6. The files the release changes.
  const files: FileChange[] = [
    { path: changelogPath, content: prependToChangelog(facts.changelog, tag, changelogSection) },
    { path: codenamesFilePath, content: formatCodenamesFile({ ...record, [line]: codename.slug }) },
  ];
  const packageJson =
    facts.packageJson === undefined ? undefined : withPackageVersion(facts.packageJson, version);
  if (packageJson !== undefined) files.push({ path: packageJsonPath, content: packageJson });

  // 7. What happens around the tag.
  const releaseName = releaseTitle(tag, codename);
  return {
    tag,
    version,
    previousTag: facts.previousTag,
    compareFrom,
    line,
    codename,
    prerelease: version.prerelease !== null,
    reasons: next.reasons,
    changelogSource,
    changelogSection,
    files,
    branch: facts.branch,
    pullRequest: {
      head: `release/${tag}`,
      title: `Prepare release ${tag}`,
      body: releasePullRequestBody(tag, codename, changelogSection),
    },
    tagMessage: releaseTagMessage(tag, codename),
    releaseName,
    lineBranch: {
      name: line,
      create: version.prerelease === null && version.patch === 0 && !facts.branches.includes(line),
    },
    mergeBack: planMergeBack(facts, tag, options.mergeBackLabels ?? defaultMergeBackLabels),
  };
}

function planMergeBack(
  facts: ReleaseFacts,
  tag: string,
  labels: MergeBackLabels,
): MergeBackPullRequest | undefined {
  const base = mergeBackBase(facts.branch, facts);
  return base === undefined ? undefined : mergeBackPullRequest(facts.branch, base, `Release ${tag}.`, labels);
}

async function combinedBump(facts: ReleaseFacts): Promise<BumpDecision> {
  const fromCommits = await bumpFromCommits(facts.commits.map((c) => c.message));
  const fromLabels = bumpFromLabels(facts.pullRequests ?? []);
  return {
    bump: maxBump(fromCommits.bump, fromLabels.bump),
    reasons: [...fromCommits.reasons, ...fromLabels.reasons],
  };
}

function entriesFromPullRequests(
  pullRequests: readonly MergedPullRequest[],
  facts: ReleaseFacts,
  style: ChangelogStyle,
) {
  // Newest merge first, as Traefik lists entries that share an area.
  const prs = [...pullRequests].sort((a, b) => b.mergedAt.localeCompare(a.mergedAt) || b.number - a.number);
  const links = {
    pull: (n: number) => pullUrl(facts.links, n),
    author: (login: string) => authorUrl(facts.links, login),
  };
  return prs.flatMap((pr) => entryFromPullRequest(pr, links, style) ?? []);
}

function releasePullRequestBody(tag: string, codename: Codename, section: string): string {
  return [
    `Release **${tag}** aka \`${codename.slug}\` (${codename.name}).`,
    '',
    'Merging this pull request publishes the release: the merge commit is tagged and a release is created from the changelog below.',
    '',
    section.trimEnd(),
    '',
  ].join('\n');
}
