/**
 * Branch protection: required status checks (with `strict`, i.e. the branch must be up to date)
 * and a required count of approving reviews. The merge rules in `../pulls/merge-rules.ts` enforce it.
 */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { ApiError } from '../http/api-error.js';
import { parseBody } from '../http/parse-body.js';
import type { ProtectionRecord, RepoRecord } from '../state/model.js';
import { requireRepo } from './access-guards.js';

export function protectionShape(ctx: ForgeContext, repo: RepoRecord, branch: string, p: ProtectionRecord) {
  const url = `${ctx.urls.api}/repos/${repo.ownerLogin}/${repo.name}/branches/${encodeURIComponent(branch)}/protection`;
  return {
    url,
    ...(p.requiredStatusChecks
      ? {
          required_status_checks: {
            url: `${url}/required_status_checks`,
            strict: p.requiredStatusChecks.strict,
            contexts: p.requiredStatusChecks.contexts,
            contexts_url: `${url}/required_status_checks/contexts`,
            checks: p.requiredStatusChecks.contexts.map((context) => ({ context, app_id: null })),
          },
        }
      : {}),
    ...(p.requiredApprovingReviewCount !== null
      ? {
          required_pull_request_reviews: {
            url: `${url}/required_pull_request_reviews`,
            dismiss_stale_reviews: p.dismissStaleReviews,
            require_code_owner_reviews: false,
            required_approving_review_count: p.requiredApprovingReviewCount,
            require_last_push_approval: false,
          },
        }
      : {}),
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: p.allowForcePushes ?? false },
    allow_deletions: { enabled: p.allowDeletions ?? false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
    required_signatures: { url: `${url}/required_signatures`, enabled: false },
  };
}

const putBody = z
  .object({
    required_status_checks: z
      .object({
        strict: z.boolean(),
        contexts: z.array(z.string()).optional(),
        checks: z.array(z.object({ context: z.string(), app_id: z.number().int().optional() })).optional(),
      })
      .nullable(),
    enforce_admins: z.boolean().nullable(),
    required_pull_request_reviews: z
      .object({
        dismiss_stale_reviews: z.boolean().optional(),
        require_code_owner_reviews: z.boolean().optional(),
        required_approving_review_count: z.number().int().min(0).max(6).optional(),
      })
      .passthrough()
      .nullable(),
    restrictions: z.unknown().nullable(),
    allow_force_pushes: z.boolean().nullable().optional(),
    allow_deletions: z.boolean().nullable().optional(),
  })
  .passthrough();

function branchOf(req: ApiRequest): string {
  return req.params.branch ?? '';
}

async function requireBranch(ctx: ForgeContext, repo: RepoRecord, branch: string) {
  if (!(await ctx.git(repo).readRef(`refs/heads/${branch}`))) throw new ApiError(404, 'Branch not found');
}

export const protectionRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/branches/{branch+}/protection',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'admin');
      const branch = branchOf(req);
      await requireBranch(ctx, repo, branch);
      const body = parseBody(putBody, req.body, 'Protection');
      const checks = body.required_status_checks;
      const record: ProtectionRecord = {
        requiredStatusChecks: checks
          ? {
              strict: checks.strict,
              contexts: [...(checks.contexts ?? []), ...(checks.checks ?? []).map((c) => c.context)],
            }
          : null,
        requiredApprovingReviewCount: body.required_pull_request_reviews
          ? (body.required_pull_request_reviews.required_approving_review_count ?? 1)
          : null,
        dismissStaleReviews: body.required_pull_request_reviews?.dismiss_stale_reviews ?? false,
        enforceAdmins: body.enforce_admins ?? false,
        allowForcePushes: body.allow_force_pushes ?? false,
        allowDeletions: body.allow_deletions ?? false,
      };
      repo.protections[branch] = record;
      return { status: 200, body: protectionShape(ctx, repo, branch, record) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch+}/protection',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'admin');
      const record = repo.protections[branchOf(req)];
      if (!record) throw new ApiError(404, 'Branch not protected');
      return { status: 200, body: protectionShape(ctx, repo, branchOf(req), record) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/branches/{branch+}/protection',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'admin');
      if (!repo.protections[branchOf(req)]) throw new ApiError(404, 'Branch not protected');
      delete repo.protections[branchOf(req)];
      return { status: 204 };
    },
  },
];
