/**
 * What the bot says on the issue or pull request after each release step. Every outcome gets a
 * comment, failures included: a release is never half-done silently.
 */
import type { AppliedAction } from '../../release/apply/apply-actions.js';
import type { ReleasePlan } from '../../release/plan/plan-release.js';

export function preparedReply(
  plan: Pick<ReleasePlan, 'tag' | 'codename' | 'branch' | 'reasons'>,
  pullRequest: number | undefined,
  applied: readonly AppliedAction[],
): string {
  const opened = applied.some((a) => a.action.kind === 'open-pull-request' && a.outcome === 'done');
  const where = pullRequest === undefined ? 'the release pull request' : `#${pullRequest}`;
  return [
    `${opened ? 'Opened' : 'Updated'} ${where}: **Prepare release ${plan.tag}** aka \`${plan.codename.slug}\` (${plan.codename.name}), from \`${plan.branch}\`.`,
    '',
    ...plan.reasons.map((r) => `- ${r}`),
    '',
    'Merging it tags the merge commit and publishes the release.',
  ].join('\n');
}

export function prepareFailedReply(error: unknown): string {
  return `I could not prepare the release:\n\n> ${messageOf(error)}\n\nFix the problem and comment \`/release\` again: steps already done are kept, not repeated.`;
}

export function publishedReply(
  release: { readonly tag: string; readonly releaseName: string },
  applied: readonly AppliedAction[],
  releaseUrl: string | undefined,
): string {
  const done = applied.filter((a) => a.outcome === 'done').map((a) => `- ${a.description}`);
  const title = releaseUrl ? `[${release.releaseName}](${releaseUrl})` : release.releaseName;
  return [`Published **${title}**:`, '', ...done].join('\n');
}

export function publishFailedReply(tag: string, error: unknown): string {
  return [
    `Publishing **${tag}** failed:`,
    '',
    `> ${messageOf(error)}`,
    '',
    `The release is not finished. I try again on the next sweep (the next push to the default or a release branch, or the next \`/release\`); \`affineur release publish --version ${tag}\` finishes it by hand.`,
  ].join('\n');
}

export function mergeBackContinuedReply(
  next: { readonly head: string; readonly base: string; readonly title: string },
  pullRequest: number | undefined,
): string {
  const where = pullRequest === undefined ? `**${next.title}**` : `#${pullRequest} (**${next.title}**)`;
  return `Next on the release train: opened ${where}, which brings \`${next.head}\` on into \`${next.base}\`. It goes through the merge queue like this one, merged as it is, never rebased.`;
}

export function mergeBackFailedReply(
  merged: { readonly head: string; readonly base: string },
  error: unknown,
): string {
  return [
    `I could not open the next merge-back, \`${merged.base}\` into the next line:`,
    '',
    `> ${messageOf(error)}`,
    '',
    `Nothing was pushed or rewritten. Fix the problem and open it by hand: head \`${merged.base}\`, titled "Merge branch ${merged.base} into <next line>", labelled for a light review and the merge queue.`,
  ].join('\n');
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\n/g, '\n> ');
}
