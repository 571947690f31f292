/**
 * Labels that put a PR in the merge queue or change how it is merged (the ready label, a merge
 * method, no-rebase, light review) are a maintainer's decision, like `/merge`. GitHub lets a
 * triager add any label, so such a label counts only when whoever added it can write to the
 * repository: the `labeled` event's sender, or, when the bot catches up (a sweep, a missed
 * webhook, an event that came in before the `labeled` one was handled), the PR's timeline.
 * Otherwise the bot removes the label and says why.
 */
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import { sameLabel, type TriageAction } from '../triage/triage-action.js';
import type { MergeSettings } from './merge-settings.js';

export type LabelTrustSettings = Pick<
  MergeSettings,
  'readyLabel' | 'methodLabelPrefix' | 'noRebaseLabel' | 'lightReviewLabel'
>;

export function needsWriteAccess(label: string, settings: LabelTrustSettings): boolean {
  return (
    sameLabel(label, settings.readyLabel) ||
    sameLabel(label, settings.noRebaseLabel) ||
    sameLabel(label, settings.lightReviewLabel) ||
    label.toLowerCase().startsWith(settings.methodLabelPrefix.toLowerCase())
  );
}

export interface PermissionLevel {
  /** GitHub's legacy level: `admin`, `write`, `read` (triage reads as `read`), `none`. */
  permission: string;
  /** The role: `admin`, `maintain`, `write`, `triage`, `read`, or a custom role's name. */
  role: string | undefined;
}

const writeRoles = new Set(['admin', 'maintain', 'write']);

export function canWrite(level: PermissionLevel): boolean {
  return writeRoles.has(level.role ?? '') || writeRoles.has(level.permission);
}

/** Permission levels, kept a minute: a pass asks about the same few people for every PR. */
export interface PermissionCache {
  level(octokit: GitHubClient, repo: RepoRef, login: string): Promise<PermissionLevel>;
}

export function createPermissionCache(options: { ttlMs?: number; now?: () => number } = {}): PermissionCache {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: PermissionLevel; readAt: number }>();
  return {
    async level(octokit, repo, login) {
      const key = `${repo.owner}/${repo.repo}:${login}`.toLowerCase();
      const cached = entries.get(key);
      if (cached && now() - cached.readAt < ttlMs) return cached.value;
      const readAt = now();
      const value = await readPermission(octokit, repo, login);
      entries.set(key, { value, readAt });
      return value;
    },
  };
}

async function readPermission(octokit: GitHubClient, repo: RepoRef, login: string): Promise<PermissionLevel> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
    return { permission: data.permission, role: data.role_name };
  } catch (error) {
    // Not a collaborator (or no such user any more): no permission at all.
    if ((error as { status?: number }).status === 404) return { permission: 'none', role: undefined };
    throw error;
  }
}

export interface UntrustedLabel {
  label: string;
  /** Undefined when the timeline names nobody (the label predates what GitHub keeps). */
  addedBy: string | undefined;
  permission: string;
}

/** Whether one label, added by `login`, counts. The bot's own labels always do. */
export async function labelAdderCanWrite(
  octokit: GitHubClient,
  repo: RepoRef,
  login: string,
  botLogin: string | undefined,
  permissions: PermissionCache,
): Promise<{ ok: boolean; permission: string }> {
  if (botLogin !== undefined && login === botLogin) return { ok: true, permission: 'bot' };
  const level = await permissions.level(octokit, repo, login);
  return { ok: canWrite(level), permission: level.role ?? level.permission };
}

interface TimelineEvent {
  event?: string;
  actor?: { login: string } | null;
  label?: { name: string };
}

/**
 * The PR's labels that need write access but were added by someone without it, read from the
 * timeline: the latest `labeled` event of each such label names who added it. One request (and
 * a cached permission read per person) for a PR that has such a label; none otherwise.
 */
export async function untrustedLabels(
  octokit: GitHubClient,
  repo: RepoRef,
  number: number,
  labels: readonly string[],
  settings: LabelTrustSettings,
  botLogin: string | undefined,
  permissions: PermissionCache,
): Promise<UntrustedLabel[]> {
  const relevant = labels.filter((label) => needsWriteAccess(label, settings));
  if (relevant.length === 0) return [];
  const timeline = (await octokit.paginate(octokit.rest.issues.listEventsForTimeline, {
    ...repo,
    issue_number: number,
    per_page: 100,
  })) as TimelineEvent[];
  const untrusted: UntrustedLabel[] = [];
  for (const label of relevant) {
    const added = timeline
      .filter((e) => e.event === 'labeled' && e.label && sameLabel(e.label.name, label))
      .at(-1);
    const login = added?.actor?.login;
    if (!login) {
      untrusted.push({ label, addedBy: undefined, permission: 'unknown' });
      continue;
    }
    const verdict = await labelAdderCanWrite(octokit, repo, login, botLogin, permissions);
    if (!verdict.ok) untrusted.push({ label, addedBy: login, permission: verdict.permission });
  }
  return untrusted;
}

/** Removes the labels and says why in one comment, as `/merge` does for the same people. */
export function refuseLabels(number: number, untrusted: readonly UntrustedLabel[]): TriageAction[] {
  if (untrusted.length === 0) return [];
  const names = untrusted.map((u) => `\`${u.label}\``).join(', ');
  const people = [...new Set(untrusted.map((u) => u.addedBy).filter((l): l is string => l !== undefined))];
  const who = people.length > 0 ? `Thanks ${people.map((p) => `@${p}`).join(', ')}! ` : '';
  const removals: TriageAction[] = untrusted.map((u) => ({
    type: 'remove-label',
    issue: number,
    label: u.label,
    reason: `added by ${u.addedBy ?? 'nobody on record'} without write permission (${u.permission})`,
  }));
  return [
    ...removals,
    {
      type: 'comment',
      issue: number,
      body: `${who}Only people with write access to this repository can add ${names}: ${untrusted.length === 1 ? 'it decides' : 'they decide'} whether and how this pull request is merged, so the bot removed ${untrusted.length === 1 ? 'it' : 'them'}. A maintainer will take it from here.`,
      reason: `merge labels from someone without write permission: ${untrusted.map((u) => u.label).join(', ')}`,
    },
  ];
}
