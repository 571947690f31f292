/**
 * The weekly report issue's body (aloba's report): what needs a maintainer's attention, from the
 * open PRs' labels. Pure: the shell lists the PRs and keeps one issue up to date with this text.
 */
import type { RepoConfig } from '../config/repo-config-schema.js';

export interface ReportPullRequest {
  number: number;
  title: string;
  author: string;
  draft: boolean;
  labels: string[];
  baseRef: string;
  updatedAt: string;
}

/** Traefik's status labels for the report's first sections. */
const needsReview = 'status/2-needs-review';
const needsDesignReview = 'status/1-needs-design-review';

const has = (pr: ReportPullRequest, label: string) =>
  pr.labels.some((l) => l.toLowerCase() === label.toLowerCase());

export function buildWeeklyReport(
  prs: readonly ReportPullRequest[],
  config: Pick<RepoConfig, 'triage' | 'merge'>,
  now: number,
): string {
  const { markers, blockingLabels } = config.merge;
  const open = prs.filter((pr) => !pr.draft);
  const ready = open.filter((pr) => has(pr, markers.needMerge) || has(pr, markers.mergeInProgress));
  const blocked = ready.filter(
    (pr) => has(pr, markers.needHumanMerge) || blockingLabels.some((l) => has(pr, l)),
  );
  const queued = ready.filter((pr) => !blocked.includes(pr));
  const bases = [...new Set(queued.map((pr) => pr.baseRef))].sort();
  const line = (pr: ReportPullRequest) =>
    `- #${pr.number} ${pr.title.replaceAll('\n', ' ')} (@${pr.author}, updated ${pr.updatedAt.slice(0, 10)})`;
  const section = (title: string, list: readonly ReportPullRequest[]) => [
    `## ${title} (${list.length})`,
    '',
    ...(list.length > 0 ? list.map(line) : ['Nothing.']),
    '',
  ];
  return [
    `Updated ${new Date(now).toISOString().slice(0, 10)} by affineur. This issue is rewritten in place at each report; do not edit it.`,
    '',
    ...section(
      'Waiting for review',
      open.filter((pr) => has(pr, needsReview)),
    ),
    ...section(
      'Waiting for corrections',
      open.filter((pr) => has(pr, config.triage.reviews.waitingLabel)),
    ),
    ...section(
      'Needs a design review',
      open.filter((pr) => has(pr, needsDesignReview)),
    ),
    ...section('Ready to merge but blocked', blocked),
    `## Merge queue (${queued.length})`,
    '',
    ...(bases.length === 0
      ? ['Empty.', '']
      : bases.flatMap((base) => [
          `### \`${base}\``,
          '',
          ...queued
            .filter((pr) => pr.baseRef === base)
            // The one being merged first, then oldest first.
            .sort(
              (a, b) =>
                Number(has(b, markers.mergeInProgress)) - Number(has(a, markers.mergeInProgress)) ||
                a.number - b.number,
            )
            .map(line),
          '',
        ])),
  ].join('\n');
}
