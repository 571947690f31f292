/**
 * Whether a branch protection lets a ref update through, as GitHub decides for a `git push` or
 * a refs/contents API write (merges of pull requests follow `../pulls/merge-rules.ts` instead):
 * - a protected branch cannot be deleted or force-pushed, even by admins, unless the protection
 *   allows deletions / force pushes;
 * - when reviews are required, changes must come through a pull request;
 * - when status checks are required, the pushed commit must already pass them;
 * - admins bypass the last two unless `enforce_admins` is on.
 * Pure: the caller gathers the facts.
 */
import type { ProtectionRecord } from '../state/model.js';

export interface PushFacts {
  branch: string;
  protection: ProtectionRecord | undefined;
  kind: 'create' | 'update' | 'delete';
  /** The new tip contains the old one (false for a force push). */
  fastForward: boolean;
  isAdmin: boolean;
  /** The verdict of each status context / check name on the new tip. */
  checks: Map<string, 'pass' | 'fail' | 'pending'>;
}

/** GitHub's refusal messages (shown as `remote: error: GH006: ...`), empty when allowed. */
export function pushRefusals(facts: PushFacts): string[] {
  const { protection } = facts;
  if (!protection) return [];
  if (facts.kind === 'delete') {
    return protection.allowDeletions ? [] : ['Cannot delete this protected branch.'];
  }
  const refusals: string[] = [];
  if (facts.kind === 'update' && !facts.fastForward && !protection.allowForcePushes) {
    refusals.push('Cannot force-push to this protected branch.');
  }
  const bypass = facts.isAdmin && !protection.enforceAdmins;
  if (!bypass && protection.requiredApprovingReviewCount !== null) {
    refusals.push('Changes must be made through a pull request.');
  }
  if (!bypass && protection.requiredStatusChecks) {
    for (const context of protection.requiredStatusChecks.contexts) {
      const verdict = facts.checks.get(context);
      if (verdict === 'pass') continue;
      refusals.push(
        verdict === undefined
          ? `Required status check "${context}" is expected.`
          : `Required status check "${context}" is ${verdict === 'fail' ? 'failing' : 'pending'}.`,
      );
    }
  }
  return refusals;
}
