/**
 * A PR taken out of the queue by a maintainer (`/merge cancel`, or the ready label removed by
 * hand): its `affineur/merge` check is completed as `cancelled`, so it never says "Waiting" or
 * "Queued" for good. A check that already reached its last word (merged) is left as it is.
 */
import type { EventContext } from '../handlers/event-context.js';
import { cancelledCheckOutput } from './merge-check-output.js';
import { mergeCheckName } from './merge-settings-from-config.js';

export async function cancelMergeCheck(context: EventContext, headSha: string, text: string): Promise<void> {
  const { octokit, repo } = context;
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: headSha,
    check_name: mergeCheckName,
    filter: 'latest',
    per_page: 100,
  });
  const current = data.check_runs.sort((a, b) => b.id - a.id)[0];
  if (!current) return;
  if (current.status === 'completed' && ['success', 'cancelled'].includes(current.conclusion ?? '')) return;
  const output = cancelledCheckOutput(text);
  context.log.info(
    { repo: `${repo.owner}/${repo.repo}`, action: { type: 'check-run', title: output.title } },
    'check-run',
  );
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: current.id,
    status: 'completed',
    conclusion: 'cancelled',
    output: { title: output.title, summary: output.summary },
  });
}
