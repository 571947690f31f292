/** Step 1 of the pipeline: reads everything the plan decides from, through a ReleaseSource. */
import { changelogPath } from '../changelog/prepend-to-changelog.js';
import { codenamesFilePath } from '../cheeses/codenames-file.js';
import type { PublishFacts } from '../plan/plan-publish.js';
import type { ReleaseFacts, WholeLineFacts } from '../plan/release-facts.js';
import { lastTagBeforeLine } from '../version/line-start.js';
import { packageJsonPath } from '../version/package-version.js';
import { previousReleaseTag } from '../version/previous-tag.js';
import { isReleaseLineBranch } from '../version/version.js';
import type { ReleaseProposal, ReleaseSource } from './release-source.js';

export interface CollectOptions {
  /** The branch to release from; the source's current branch by default. */
  readonly branch?: string | undefined;
  /** Release date (YYYY-MM-DD); today in UTC by default. */
  readonly date?: string | undefined;
}

export async function collectReleaseFacts(
  source: ReleaseSource,
  options: CollectOptions = {},
): Promise<ReleaseFacts> {
  const [links, defaultBranch, tags, releases, branches] = await Promise.all([
    source.links(),
    source.defaultBranch(),
    source.listTags(),
    source.listReleases(),
    source.listBranches(),
  ]);
  const branch = options.branch ?? (await source.currentBranch());
  const headSha = await source.resolveCommit(branch);
  const previous = previousReleaseTag(tags, branch);
  const previousTag = previous?.tag ?? null;
  // After a candidate, the next release may be the line's final, which covers the whole line.
  const candidateOfLine =
    previous !== null && previous.version.prerelease !== null && !isReleaseLineBranch(branch);
  const [commits, pullRequests, changelog, codenames, packageJson, wholeLine] = await Promise.all([
    source.commitsSince(previousTag, branch),
    source.mergedPullRequestsSince(previousTag, branch),
    source.readFile(changelogPath, branch),
    source.readFile(codenamesFilePath, branch),
    source.readFile(packageJsonPath, branch),
    candidateOfLine ? collectWholeLine(source, lastTagBeforeLine(tags, previous.version), branch) : undefined,
  ]);
  return {
    links,
    defaultBranch,
    branch,
    headSha,
    branches,
    tags,
    releases,
    previousTag,
    commits,
    pullRequests,
    changelog,
    codenames,
    packageJson,
    wholeLine,
    date: options.date ?? new Date().toISOString().slice(0, 10),
  };
}

async function collectWholeLine(
  source: ReleaseSource,
  since: string | null,
  branch: string,
): Promise<WholeLineFacts> {
  const [commits, pullRequests] = await Promise.all([
    source.commitsSince(since, branch),
    source.mergedPullRequestsSince(since, branch),
  ]);
  return { since, commits, pullRequests };
}

export async function collectPublishFacts(
  source: ReleaseSource,
  proposal: ReleaseProposal,
  branch: string,
): Promise<PublishFacts> {
  const [defaultBranch, branches, tags, releases, changelog, codenames] = await Promise.all([
    source.defaultBranch(),
    source.listBranches(),
    source.listTags(),
    source.listReleases(),
    source.readFile(changelogPath, proposal.sha),
    source.readFile(codenamesFilePath, proposal.sha),
  ]);
  return { proposal, branch, defaultBranch, branches, tags, releases, changelog, codenames };
}
