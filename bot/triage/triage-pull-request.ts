/**
 * The labels and milestone of an opened or updated PR: areas from changed paths, a size, the
 * needs-triage status (at opening only, and not for a draft or a WIP label), a kind from a
 * conventional-commit title or an imperative verb, and the milestone of its base branch (open,
 * else closed). Everything already present is left alone; only a stale size label is replaced.
 */
import type { TriageConfig } from '../config/repo-config-schema.js';
import { areaLabels } from './area-labels.js';
import { kindLabelFor } from './conventional-kind.js';
import { findMilestone, milestoneTitleFor } from './milestone-for-branch.js';
import type { MilestoneFacts, PullRequestFacts } from './pull-request-facts.js';
import { measure, sizeOf } from './size-label.js';
import { hasLabel, sameLabel, type TriageAction } from './triage-action.js';

export function triagePullRequest(
  pr: PullRequestFacts,
  triage: TriageConfig,
  /** The repository's milestones; only read when the PR has none and its base branch names one. */
  milestones: readonly MilestoneFacts[],
): TriageAction[] {
  if (!triage.enabled) return [];
  const actions: TriageAction[] = [];
  const wanted: { label: string; reason: string }[] = [];

  const opening = pr.opening ?? true;
  const hasStatus =
    pr.draft === true ||
    pr.labels.some(
      (l) =>
        l.toLowerCase().startsWith('status/') || triage.needsTriage.wipLabels.some((w) => sameLabel(w, l)),
    );
  if (triage.needsTriage.enabled && opening && !hasStatus) {
    wanted.push({ label: triage.needsTriage.label, reason: 'no status/* label' });
  }
  if (triage.areas.enabled) {
    for (const label of areaLabels(pr.files, triage.areas)) wanted.push({ label, reason: 'changed paths' });
  }
  if (triage.kind.enabled) {
    const label = kindLabelFor(pr.title, triage.kind);
    if (label) wanted.push({ label, reason: 'title' });
  }
  if (triage.size.enabled && (opening || triage.size.recomputeOnPush)) {
    const measured = measure(pr.files, triage.size.excludedPaths);
    const size = triage.size.labels[sizeOf(measured, triage.size.limits)];
    const reason = `size: ${measured.sum} lines changed, diff ${measured.diff}, ${measured.files} file(s)`;
    for (const stale of Object.values(triage.size.labels)) {
      if (!sameLabel(stale, size) && hasLabel(pr.labels, stale)) {
        actions.push({ type: 'remove-label', issue: pr.number, label: stale, reason: `stale ${reason}` });
      }
    }
    wanted.push({ label: size, reason });
  }

  const toAdd = wanted.filter(
    (w, index) =>
      !hasLabel(pr.labels, w.label) && wanted.findIndex((o) => sameLabel(o.label, w.label)) === index,
  );
  if (toAdd.length > 0) {
    actions.unshift({
      type: 'add-labels',
      issue: pr.number,
      labels: toAdd.map((w) => w.label),
      reason: toAdd.map((w) => `${w.label} (${w.reason})`).join('; '),
    });
  }

  const title = milestoneToSet(pr, triage);
  const milestone =
    title === undefined ? undefined : findMilestone(milestones, title, triage.milestone.includeClosed);
  if (milestone) {
    actions.push({
      type: 'set-milestone',
      issue: pr.number,
      milestone: milestone.number,
      title: milestone.title,
      reason: `base branch ${pr.baseRef}`,
    });
  }
  return actions;
}

/** The milestone title the PR should get, or undefined when it needs none (so no lookup is needed). */
export function milestoneToSet(pr: Pick<PullRequestFacts, 'milestone' | 'baseRef'>, triage: TriageConfig) {
  if (!triage.enabled || !triage.milestone.enabled || pr.milestone !== undefined) return undefined;
  return milestoneTitleFor(pr.baseRef, triage.milestone.branchPattern);
}
