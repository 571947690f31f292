/**
 * `affineur housekeeping run --repo OWNER/NAME [--dry-run] [--max N] [--json]`: one housekeeping
 * run on one repository, now, with the rules of its `.github/affineur.yml`. For maintainers
 * (try a new stale rule with --dry-run), for GitHub Actions' `schedule`, and for tests.
 */
import { Probot } from 'probot';
import type { CliIo, Command } from '../../src/cli/command.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
import { createLogger } from '../../src/log/logger.js';
import { BotOctokit } from '../app.js';
import { apiBaseUrl, readAppSettings } from '../app-settings.js';
import { loadRepoConfig } from '../config/load-repo-config.js';
import { githubConfigReader } from '../github/config-file-reader.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import { withDotEnv } from '../registration/env-file.js';
import { type HousekeepingResult, runHousekeeping } from './run-housekeeping.js';

const help = `Usage: affineur housekeeping run --repo OWNER/NAME [--dry-run] [--max N] [--json]

Runs the housekeeping of .github/affineur.yml on one repository, now: stale rules (close, or
mark then close), locks of old closed items, and the weekly report issue. The bot runs the same
on a schedule (AFFINEUR_HOUSEKEEPING_INTERVAL, 1h by default).

Options (of \`run\`):
  --repo OWNER/NAME   the repository (required)
  --dry-run           list what would be closed, marked, locked or reported; change nothing
  --max N             act on at most N items (default: housekeeping.maxActionsPerRun, 30)
  --json              print the result as one JSON object

Credentials (one of):
  GITHUB_TOKEN                               a token (as in GitHub Actions), with GITHUB_API_URL
  APP_ID, PRIVATE_KEY | PRIVATE_KEY_PATH     the app's own, as \`affineur bot\` reads them (and .env)
  GITHUB_API_URL / GHE_HOST                  the API of GitHub Enterprise or the sandbox forge`;

const subcommands = ['run'] as const;
const flags: Record<string, { value: boolean }> = {
  '--repo': { value: true },
  '--dry-run': { value: false },
  '--max': { value: true },
  '--json': { value: false },
};

interface HousekeepingArguments {
  repo: RepoRef;
  dryRun: boolean;
  max: number | undefined;
  json: boolean;
}

const bad = (message: string, hint: string) =>
  new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', message, { hint });

export function parseHousekeepingArguments(args: readonly string[]): HousekeepingArguments {
  const [sub, ...rest] = args;
  if (!subcommands.includes(sub as (typeof subcommands)[number])) {
    throw bad(
      sub === undefined ? 'missing subcommand.' : `unknown subcommand "${sub}".`,
      'Use `affineur housekeeping run --repo OWNER/NAME`.',
    );
  }
  const values = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const flag = flags[name];
    if (!flag) {
      throw bad(
        `"${name}" is not an option of \`housekeeping run\`.`,
        `Its options are ${Object.keys(flags).join(', ')}.`,
      );
    }
    if (!flag.value) {
      values.set(name, true);
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined || value.startsWith('--'))
      throw bad(`${name} needs a value.`, `Write ${name} <value>.`);
    values.set(name, value);
  }
  const repo = values.get('--repo');
  const match = typeof repo === 'string' ? /^([\w.-]+)\/([\w.-]+)$/.exec(repo) : null;
  if (!match)
    throw bad('--repo OWNER/NAME is required.', 'Name the repository, e.g. --repo traefik/traefik.');
  const maxText = values.get('--max');
  const max = typeof maxText === 'string' ? Number(maxText) : undefined;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw bad(`--max must be a positive integer, got "${maxText}".`, 'Use --max 10, for example.');
  }
  return {
    repo: { owner: match[1]!, repo: match[2]! },
    dryRun: values.has('--dry-run'),
    max,
    json: values.has('--json'),
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/** A token client, or the app's installation client for the repository. */
async function clientFor(env: Env, repo: RepoRef): Promise<GitHubClient> {
  const baseUrl = apiBaseUrl(env);
  if (env.GITHUB_TOKEN) {
    // Probot's Octokit takes a token in its auth strategy's shape, `{token}`.
    return new BotOctokit({
      auth: { token: env.GITHUB_TOKEN },
      ...(baseUrl ? { baseUrl } : {}),
    }) as unknown as GitHubClient;
  }
  const settings = readAppSettings({ WEBHOOK_SECRET: 'unused by housekeeping', ...env });
  if (settings === 'setup') {
    throw new AffineurError(
      'AFF_ERR_BOT_APP_SETTINGS',
      'no credentials: set GITHUB_TOKEN, or APP_ID and PRIVATE_KEY.',
      {
        hint: 'In GitHub Actions, pass GITHUB_TOKEN; elsewhere, the app credentials `affineur bot` uses.',
      },
    );
  }
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    Octokit: BotOctokit,
    ...(baseUrl ? { baseUrl } : {}),
  });
  const app = (await probot.auth()) as unknown as GitHubClient;
  const { data } = await app.rest.apps.getRepoInstallation({ ...repo });
  return (await probot.auth(data.id)) as unknown as GitHubClient;
}

function formatResult(result: HousekeepingResult): string {
  const verb = {
    close: 'close',
    'close-stale': 'close (stale)',
    'mark-stale': 'mark stale',
    'unmark-stale': 'unmark (activity since the mark)',
    lock: 'lock',
  };
  const lines = result.items.map(
    (item) =>
      `  ${result.dryRun ? 'would ' : ''}${verb[item.step]} #${item.number} ${item.title} (${item.rule})`,
  );
  return [
    `${result.repo}: ${result.items.length} item(s)${result.dryRun ? ' (dry run: nothing changed)' : ''}`,
    ...lines,
    ...(result.capped ? ['  more items match: the cap was reached; the next run goes on'] : []),
    `  weekly report: ${result.report}`,
    '',
  ].join('\n');
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseHousekeepingArguments(args);
  const env = withDotEnv(io.env, io.cwd);
  const octokit = await clientFor(env, parsed.repo);
  const { config } = await loadRepoConfig(githubConfigReader(octokit), { ...parsed.repo });
  const log = createLogger({
    name: 'affineur-housekeeping',
    level: env.LOG_LEVEL ?? 'warn',
    destination: process.stderr,
  });
  const result = await runHousekeeping({
    octokit,
    repo: parsed.repo,
    config,
    dryRun: parsed.dryRun || config.dryRun,
    log,
    now: Date.now(),
    max: parsed.max,
  });
  io.stdout.write(parsed.json ? `${JSON.stringify(result)}\n` : formatResult(result));
  return 0;
}

export const housekeepingCommand: Command = {
  name: 'housekeeping',
  summary: 'Close stale issues, lock old ones and refresh the weekly report, now.',
  help,
  run,
};
