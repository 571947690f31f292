/** Human-readable output of the release CLI. */
import type { AppliedAction } from '../apply/apply-actions.js';
import type { ReleasePlan } from '../plan/plan-release.js';

export function formatPlan(plan: ReleasePlan): string {
  const codenameOrigin = {
    history: `the codename of line ${plan.line}`,
    requested: `new line ${plan.line}, as requested`,
    picked: `new line ${plan.line}, default pick`,
  }[plan.codename.source];
  const lines = [
    `Release ${plan.tag} "${plan.codename.name}" (${plan.codename.slug}: ${codenameOrigin})`,
    `Previous release: ${plan.previousTag ?? 'none'}`,
    plan.compareFrom !== plan.previousTag
      ? `Changelog covers the whole line ${plan.line}, compared from ${plan.compareFrom ?? 'the first commit'}`
      : undefined,
    `Cut from: ${plan.branch}`,
    ...plan.reasons.map((r) => `Why: ${r}`),
    `Changelog from: ${plan.changelogSource === 'pull-requests' ? 'merged pull requests' : 'conventional commits'}`,
    `Files: ${plan.files.map((f) => f.path).join(', ')}`,
    plan.lineBranch.create ? `Release branch: ${plan.lineBranch.name}, created at the tag` : undefined,
    plan.mergeBack
      ? `Merge-back: ${plan.mergeBack.head} → ${plan.mergeBack.base} [${plan.mergeBack.labels.join(', ')}]`
      : undefined,
    '',
    plan.changelogSection.trimEnd(),
    '',
  ];
  return lines.filter((l) => l !== undefined).join('\n');
}

export function formatApplied(applied: readonly AppliedAction[]): string {
  const mark = { done: 'done', 'already-done': 'already done', 'dry-run': 'dry run, not done' } as const;
  return applied.map((a) => `- ${a.description}: ${mark[a.outcome]}`).join('\n');
}
