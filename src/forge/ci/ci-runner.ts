/**
 * A tiny CI per repository: after each push to a branch, the repository's rule reports a commit
 * status or a check run for the new head — always success, failure when the commit message
 * contains `[fail]`, or the exit code of a shell command run in a checkout (with a timeout).
 * Runs happen outside the request that pushed; `idle()` lets callers wait for them.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckRun, updateCheckRun } from '../api/checks.js';
import { createStatus } from '../api/statuses.js';
import type { ForgeContext, PushObserver } from '../forge-context.js';
import { gitEnv } from '../git/run-git.js';
import type { CiRule, RepoRecord } from '../state/model.js';
import { accountByLogin, repoById } from '../state/queries.js';

export interface CiIdentity {
  /** The app whose installation reports check runs. */
  appId: number;
  /** The bot account that appears as sender and status creator. */
  botLogin: string;
}

export class CiRunner implements PushObserver {
  private ctx: ForgeContext | undefined;
  private identity: CiIdentity | undefined;
  private readonly running = new Set<Promise<void>>();

  /** Connects the runner once the forge context and its app exist (they are built after it). */
  attach(ctx: ForgeContext, identity: CiIdentity): void {
    this.ctx = ctx;
    this.identity = identity;
  }

  pushed(repo: RepoRecord, _ref: string, sha: string): void {
    const rule = repo.ciRule;
    if (!rule || !this.ctx || !this.identity) return;
    const run = this.run(this.ctx, this.identity, repo.id, rule, sha).catch((error: unknown) =>
      this.ctx?.logger.error({ err: error, repo: repo.name }, 'sandbox CI run failed'),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Resolves when every started run has reported. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async run(ctx: ForgeContext, identity: CiIdentity, repoId: number, rule: CiRule, sha: string) {
    const state = ctx.store.state;
    const bot = accountByLogin(state, identity.botLogin);
    if (!bot) return;
    const started = await ctx.store.write(async () => {
      const repo = repoById(state, repoId);
      if (!repo) return null;
      if (rule.report === 'status') {
        await createStatus(
          ctx,
          repo,
          sha,
          { state: 'pending', context: rule.name, description: 'Running', targetUrl: null },
          bot,
        );
        return { repo, checkRunId: null };
      }
      const run = await createCheckRun(
        ctx,
        repo,
        identity.appId,
        { name: rule.name, headSha: sha, status: 'in_progress' },
        bot,
      );
      return { repo, checkRunId: run.id };
    });
    if (!started) return;
    const outcome = await this.evaluate(ctx, started.repo, rule, sha);
    await ctx.store.write(async () => {
      const repo = repoById(state, repoId);
      if (!repo) return;
      if (rule.report === 'status') {
        await createStatus(
          ctx,
          repo,
          sha,
          {
            state: outcome.ok ? 'success' : 'failure',
            context: rule.name,
            description: outcome.summary,
            targetUrl: null,
          },
          bot,
        );
        return;
      }
      const run = state.checkRuns.find((r) => r.id === started.checkRunId);
      if (run) {
        await updateCheckRun(
          ctx,
          repo,
          run,
          {
            conclusion: outcome.ok ? 'success' : 'failure',
            output: { title: rule.name, summary: outcome.summary, text: outcome.log },
          },
          bot,
        );
      }
    });
  }

  private async evaluate(ctx: ForgeContext, repo: RepoRecord, rule: CiRule, sha: string) {
    if (rule.mode === 'success') return { ok: true, summary: 'Passed', log: null };
    if (rule.mode === 'message') {
      const commit = await ctx.git(repo).commit(sha);
      const failed = commit?.message.includes('[fail]') ?? false;
      return {
        ok: !failed,
        summary: failed ? 'The commit message asks for a failure ([fail]).' : 'Passed',
        log: null,
      };
    }
    return runCommand(ctx.git(repo).path, sha, rule.command ?? 'true', rule.timeoutMs ?? 60_000);
  }
}

/** Exports the commit into a temp directory and runs the command there with `sh -c`. */
async function runCommand(gitDir: string, sha: string, command: string, timeoutMs: number) {
  const dir = await mkdtemp(join(tmpdir(), 'affineur-forge-ci-'));
  try {
    await new Promise<void>((resolve, reject) => {
      const archive = spawn(
        'sh',
        ['-c', `git --git-dir="$GIT_DIR_PATH" archive --format=tar "$SHA" | tar -x -C "$TARGET"`],
        {
          env: gitEnv({ GIT_DIR_PATH: gitDir, SHA: sha, TARGET: dir }),
          stdio: 'ignore',
        },
      );
      archive.on('error', reject);
      archive.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`git archive exited ${code}`)),
      );
    });
    return await new Promise<{ ok: boolean; summary: string; log: string }>((resolve) => {
      const child = spawn('sh', ['-c', command], { cwd: dir, env: gitEnv({ CI: 'true' }), detached: true });
      let log = '';
      const collect = (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-60_000);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      }, timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (timedOut) resolve({ ok: false, summary: `Timed out after ${timeoutMs} ms.`, log });
        else resolve({ ok: code === 0, summary: code === 0 ? 'Passed' : `Exited with code ${code}.`, log });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
