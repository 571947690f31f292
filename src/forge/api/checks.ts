/**
 * Check runs and check suites. Only GitHub Apps may write check runs (GitHub answers 403 to a
 * user token); a check suite is created for an app and commit with its first check run.
 */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { ApiError, notFound } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { intParam, parseBody } from '../http/parse-body.js';
import { checkRun, checkSuite } from '../shapes/checks.js';
import type {
  AccountRecord,
  CheckConclusion,
  CheckRunRecord,
  CheckStatus,
  CheckSuiteRecord,
  RepoRecord,
} from '../state/model.js';
import { appById, installationsFor } from '../state/queries.js';
import { isoSeconds } from '../state/timestamp.js';
import { envelope } from '../webhooks/emit-events.js';
import { webhookApp } from '../webhooks/webhook-shapes.js';
import { requireActor, requireRepo } from './access-guards.js';
import { resolveRef } from './statuses.js';

const conclusions = [
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
  'stale',
] as const;

const outputSchema = z.object({
  title: z.string().nullable().optional(),
  summary: z.string().nullable().optional(),
  text: z.string().nullable().optional(),
});

const runFields = {
  name: z.string(),
  details_url: z.string().optional(),
  external_id: z.string().optional(),
  status: z.enum(['queued', 'in_progress', 'completed']).optional(),
  started_at: z.string().optional(),
  conclusion: z.enum(conclusions).optional(),
  completed_at: z.string().optional(),
  output: outputSchema.optional(),
};

export interface CheckRunInput {
  name: string;
  headSha: string;
  status?: CheckStatus;
  conclusion?: CheckConclusion;
  detailsUrl?: string;
  externalId?: string;
  startedAt?: string;
  completedAt?: string;
  output?: z.infer<typeof outputSchema>;
}

async function emitRun(
  ctx: ForgeContext,
  repo: RepoRecord,
  run: CheckRunRecord,
  action: string,
  sender: AccountRecord,
) {
  const state = ctx.store.state;
  const shaped = checkRun(ctx.urls, state, repo, run);
  const suite = state.checkSuites.find((s) => s.id === run.suiteId);
  const headCommit = await ctx.git(repo).commit(run.headSha);
  const suiteShape = suite ? checkSuite(ctx.urls, state, repo, suite, headCommit) : null;
  ctx.events.emit(
    'check_run',
    {
      action,
      check_run: {
        ...shaped,
        app: shaped.app ? webhookApp(shaped.app) : null,
        check_suite: suiteShape
          ? {
              id: suiteShape.id,
              node_id: suiteShape.node_id,
              head_branch: suiteShape.head_branch,
              head_sha: suiteShape.head_sha,
              status: suiteShape.status,
              conclusion: suiteShape.conclusion,
              url: suiteShape.url,
              before: suiteShape.before,
              after: suiteShape.after,
              pull_requests: suiteShape.pull_requests,
              app: suiteShape.app ? webhookApp(suiteShape.app) : null,
              created_at: suiteShape.created_at,
              updated_at: suiteShape.updated_at,
            }
          : { id: run.suiteId },
      },
      ...envelope(ctx, repo, sender),
    },
    repo,
  );
  if (suite && action === 'completed') {
    const runs = state.checkRuns.filter((r) => r.suiteId === suite.id);
    if (runs.every((r) => r.status === 'completed')) {
      const { repository: _repository, ...suitePayload } = checkSuite(
        ctx.urls,
        state,
        repo,
        suite,
        headCommit,
      );
      ctx.events.emit(
        'check_suite',
        {
          action: 'completed',
          check_suite: { ...suitePayload, app: suitePayload.app ? webhookApp(suitePayload.app) : null },
          ...envelope(ctx, repo, sender),
        },
        repo,
      );
    }
  }
}

/**
 * On every branch push GitHub creates a check suite for each app that may write checks and asks
 * it to run (`check_suite.requested`), sent to that app's installation only.
 */
export async function requestCheckSuites(
  ctx: ForgeContext,
  repo: RepoRecord,
  sha: string,
  before: string | null,
  sender: AccountRecord,
  /** The branch tips, when the caller has just read them. */
  heads?: Map<string, string>,
): Promise<void> {
  const state = ctx.store.state;
  for (const installation of installationsFor(state, repo)) {
    const app = appById(state, installation.appId);
    if (app?.permissions.checks !== 'write') continue;
    const suite = await suiteFor(ctx, repo, app.id, sha, heads);
    suite.before = before;
    const headCommit = await ctx.git(repo).commit(sha);
    const { repository: _repository, ...payload } = checkSuite(ctx.urls, state, repo, suite, headCommit);
    ctx.events.emit(
      'check_suite',
      {
        action: 'requested',
        check_suite: { ...payload, app: payload.app ? webhookApp(payload.app) : null },
        ...envelope(ctx, repo, sender),
      },
      repo,
      installation.id,
    );
  }
}

async function suiteFor(
  ctx: ForgeContext,
  repo: RepoRecord,
  appId: number,
  sha: string,
  knownHeads?: Map<string, string>,
): Promise<CheckSuiteRecord> {
  const state = ctx.store.state;
  const existing = state.checkSuites.find(
    (s) => s.repoId === repo.id && s.appId === appId && s.headSha === sha,
  );
  if (existing) return existing;
  const heads = knownHeads ?? (await ctx.git(repo).refs('refs/heads/'));
  const branch = [...heads.entries()].find(([, tip]) => tip === sha)?.[0].slice('refs/heads/'.length) ?? null;
  const stamp = isoSeconds(ctx.now());
  const suite: CheckSuiteRecord = {
    id: ctx.store.nextId(),
    repoId: repo.id,
    appId,
    headSha: sha,
    headBranch: branch,
    before: null,
    after: sha,
    createdAt: stamp,
    updatedAt: stamp,
  };
  state.checkSuites.push(suite);
  return suite;
}

export async function createCheckRun(
  ctx: ForgeContext,
  repo: RepoRecord,
  appId: number,
  input: CheckRunInput,
  sender: AccountRecord,
) {
  const suite = await suiteFor(ctx, repo, appId, input.headSha);
  const stamp = isoSeconds(ctx.now());
  const completed = input.conclusion !== undefined || input.status === 'completed';
  const run: CheckRunRecord = {
    id: ctx.store.nextId(),
    repoId: repo.id,
    suiteId: suite.id,
    appId,
    headSha: input.headSha,
    name: input.name,
    status: completed ? 'completed' : (input.status ?? 'queued'),
    conclusion: input.conclusion ?? (completed ? 'neutral' : null),
    startedAt: input.startedAt ? isoSeconds(input.startedAt) : stamp,
    completedAt: completed ? (input.completedAt ? isoSeconds(input.completedAt) : stamp) : null,
    externalId: input.externalId ?? null,
    detailsUrl: input.detailsUrl ?? null,
    output: {
      title: input.output?.title ?? null,
      summary: input.output?.summary ?? null,
      text: input.output?.text ?? null,
    },
  };
  ctx.store.state.checkRuns.push(run);
  suite.updatedAt = stamp;
  await emitRun(ctx, repo, run, 'created', sender);
  if (completed) await emitRun(ctx, repo, run, 'completed', sender);
  return run;
}

export async function updateCheckRun(
  ctx: ForgeContext,
  repo: RepoRecord,
  run: CheckRunRecord,
  input: Partial<CheckRunInput>,
  sender: AccountRecord,
) {
  const wasCompleted = run.status === 'completed';
  const stamp = isoSeconds(ctx.now());
  if (input.name !== undefined) run.name = input.name;
  if (input.detailsUrl !== undefined) run.detailsUrl = input.detailsUrl;
  if (input.externalId !== undefined) run.externalId = input.externalId;
  if (input.startedAt !== undefined) run.startedAt = isoSeconds(input.startedAt);
  if (input.output)
    run.output = {
      title: input.output.title ?? null,
      summary: input.output.summary ?? null,
      text: input.output.text ?? null,
    };
  if (input.status !== undefined) run.status = input.status;
  if (input.conclusion !== undefined) {
    run.conclusion = input.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed' && !wasCompleted) {
    run.conclusion ??= 'neutral';
    run.completedAt = input.completedAt ? isoSeconds(input.completedAt) : stamp;
  }
  await emitRun(
    ctx,
    repo,
    run,
    run.status === 'completed' && !wasCompleted ? 'completed' : 'created',
    sender,
  );
}

function requireApp(ctx: ForgeContext, req: ApiRequest): { appId: number; actor: AccountRecord } {
  if (req.principal.kind !== 'installation')
    throw new ApiError(403, 'You must authenticate via a GitHub App.');
  return { appId: req.principal.appId, actor: requireActor(ctx, req) };
}

function findRun(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord): CheckRunRecord {
  const id = intParam(req.params, 'check_run_id');
  const run = ctx.store.state.checkRuns.find((r) => r.id === id && r.repoId === repo.id);
  if (!run) throw notFound();
  return run;
}

function inputFrom(body: Partial<z.infer<z.ZodObject<typeof runFields>>>): Partial<CheckRunInput> {
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.status !== undefined ? { status: body.status } : {}),
    ...(body.conclusion !== undefined ? { conclusion: body.conclusion } : {}),
    ...(body.details_url !== undefined ? { detailsUrl: body.details_url } : {}),
    ...(body.external_id !== undefined ? { externalId: body.external_id } : {}),
    ...(body.started_at !== undefined ? { startedAt: body.started_at } : {}),
    ...(body.completed_at !== undefined ? { completedAt: body.completed_at } : {}),
    ...(body.output !== undefined ? { output: body.output } : {}),
  };
}

export const checkRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/check-runs',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const { appId, actor } = requireApp(ctx, req);
      const body = parseBody(z.object({ ...runFields, head_sha: z.string() }), req.body, 'CheckRun');
      const sha = await resolveRef(ctx, repo, body.head_sha);
      const run = await createCheckRun(
        ctx,
        repo,
        appId,
        { ...inputFrom(body), name: body.name, headSha: sha },
        actor,
      );
      return { status: 201, body: checkRun(ctx.urls, ctx.store.state, repo, run) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const { appId, actor } = requireApp(ctx, req);
      const run = findRun(ctx, req, repo);
      if (run.appId !== appId)
        throw new ApiError(
          403,
          'Invalid app_id `' +
            appId +
            '` - check run can only be modified by the GitHub App that created it.',
        );
      const body = parseBody(z.object(runFields).partial(), req.body, 'CheckRun');
      await updateCheckRun(ctx, repo, run, inputFrom(body), actor);
      return { status: 200, body: checkRun(ctx.urls, ctx.store.state, repo, run) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return { status: 200, body: checkRun(ctx.urls, ctx.store.state, repo, findRun(ctx, req, repo)) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref+}/check-runs',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const sha = await resolveRef(ctx, repo, req.params.ref ?? '');
      const name = req.query.get('check_name');
      const status = req.query.get('status');
      const all = ctx.store.state.checkRuns
        .filter(
          (r) =>
            r.repoId === repo.id &&
            r.headSha === sha &&
            (!name || r.name === name) &&
            (!status || r.status === status),
        )
        .sort((a, b) => b.id - a.id);
      // `filter=latest` (the default) keeps the newest run of each name.
      const runs =
        req.query.get('filter') === 'all'
          ? all
          : all.filter((r, i) => all.findIndex((x) => x.name === r.name && x.appId === r.appId) === i);
      const shaped = runs.map((r) => checkRun(ctx.urls, ctx.store.state, repo, r));
      return paginate(ctx.urls, req, shaped, (page) => ({ total_count: shaped.length, check_runs: page }));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref+}/check-suites',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const sha = await resolveRef(ctx, repo, req.params.ref ?? '');
      const headCommit = await ctx.git(repo).commit(sha);
      const suites = ctx.store.state.checkSuites
        .filter((s) => s.repoId === repo.id && s.headSha === sha)
        .map((s) => checkSuite(ctx.urls, ctx.store.state, repo, s, headCommit));
      return paginate(ctx.urls, req, suites, (page) => ({ total_count: suites.length, check_suites: page }));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/check-suites/{check_suite_id}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const id = intParam(req.params, 'check_suite_id');
      const suite = ctx.store.state.checkSuites.find((s) => s.id === id && s.repoId === repo.id);
      if (!suite) throw notFound();
      const headCommit = await ctx.git(repo).commit(suite.headSha);
      return { status: 200, body: checkSuite(ctx.urls, ctx.store.state, repo, suite, headCommit) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const id = intParam(req.params, 'check_suite_id');
      const runs = ctx.store.state.checkRuns
        .filter((r) => r.suiteId === id && r.repoId === repo.id)
        .map((r) => checkRun(ctx.urls, ctx.store.state, repo, r));
      return paginate(ctx.urls, req, runs, (page) => ({ total_count: runs.length, check_runs: page }));
    },
  },
];
