/**
 * `affineur release plan|prepare|publish|unfinished|codenames`, against a local clone (`--dir`)
 * or a GitHub-compatible API (`--repo owner/name --token T --api-url URL`).
 */
import { resolve } from 'node:path';
import type { CliIo, Command } from '../../src/cli/command.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
import { localGitForge } from '../apply/local-git-forge.js';
import type { ReleaseForge } from '../apply/release-forge.js';
import { cheeseCatalog } from '../cheeses/cheese-catalog.js';
import { readCodenameHistory } from '../cheeses/codename-history.js';
import { codenamesFilePath, parseCodenamesFile } from '../cheeses/codenames-file.js';
import { localGitSource } from '../collect/local-git-source.js';
import type { ReleaseSource } from '../collect/release-source.js';
import { gitHubClient } from '../github/github-client.js';
import { gitHubForge } from '../github/github-forge.js';
import { gitHubSource } from '../github/github-source.js';
import { findUnfinishedReleasesIn, planFromSource, prepareRelease, publishReleases } from '../pipeline.js';
import { formatApplied, formatPlan } from './format-plan.js';
import { parseReleaseArguments, type ReleaseArguments } from './release-arguments.js';

const help = `affineur release: cheese-named releases with a Traefik-style changelog.

Usage:
  affineur release plan       [target] [--branch B] [--bump major|minor|patch|rc | --version vX.Y.Z]
                              [--codename NAME] [--initial-version vX.Y.Z] [--date YYYY-MM-DD]
                              [--contributors by-mention|mention|link] [--omit-merge-backs] [--json]
  affineur release prepare    [target] [same options as plan] [--dry-run]
  affineur release publish    [target] [--branch B] [--version vX.Y.Z] [--dry-run] [--json]
  affineur release unfinished [target] [--branch B] [--json]
  affineur release codenames  [target] [--branch B] [--json]

Target (one of):
  --dir PATH                 a local git clone (the default: the current directory). Links use
                             its "origin" remote, or --repo owner/name and --server-url https://host.
  --repo owner/name          without --dir: a repository on a GitHub-compatible API
  --token T                  API token (default: $GITHUB_TOKEN); never printed
  --api-url URL              API root (default: https://api.github.com; GHE: https://host/api/v3)

Steps:
  plan        prints the next version, its codename and changelog section; changes nothing
  prepare     commits CHANGELOG.md and release/codenames.json: on a forge, on release/vX.Y.Z
              with a "Prepare release" pull request; in a clone, on the current branch
  publish     tags the accepted release (and, on a forge, creates the GitHub release, the
              vX.Y branch for a new line, and the merge-back PR after a patch); idempotent
  unfinished  lists accepted releases that have no tag yet
  codenames   lists the codenames used by the repository and how many cheeses are left

Options (an option given to a step it does not apply to is an error):
  --branch     plan/prepare: the branch to release from; publish/unfinished: only releases
               accepted into it; codenames: read release/codenames.json there
  --bump       force the bump; rc starts or continues release candidates vX.Y.0-rc.N
  --version    plan/prepare: release exactly this version; publish: only this release
  --codename   name a new release line (a real, unused French cheese)
  --initial-version  first version of a repository without release tags (default v1.0.0)
  --date       release date YYYY-MM-DD (default: today, UTC)
  --contributors  by-mention ("by @login", the default), mention ("@login"), or link
               ("by [login](url)", Traefik's older form)
  --omit-merge-backs  leave "Merge branch vX.Y into ..." pull requests out of the changelog
  --dry-run    prepare/publish: print what would be done, do nothing (plan never changes anything)
  --json       print the result as JSON
`;

interface Target {
  readonly source: ReleaseSource;
  readonly forge: ReleaseForge;
}

function openTarget(args: ReleaseArguments, io: CliIo): Target {
  if (args.dir !== undefined && args.apiUrl !== undefined) {
    throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', '--dir and --api-url cannot be used together.', {
      hint: 'Use --dir for a local clone, or --repo with --api-url for a forge.',
    });
  }
  // --dir (or neither option) is a local clone, where --repo only names the repository for links.
  if (args.dir !== undefined || args.repo === undefined) {
    const source = localGitSource({
      dir: resolve(io.cwd, args.dir ?? '.'),
      repo: args.repo,
      serverUrl: args.serverUrl,
    });
    return { source, forge: localGitForge(source.git) };
  }
  const [owner = '', repo = ''] = (args.repo as string).split('/');
  const client = gitHubClient({ owner, repo, token: args.token ?? io.env.GITHUB_TOKEN, apiUrl: args.apiUrl });
  return { source: gitHubSource(client, { serverUrl: args.serverUrl }), forge: gitHubForge(client) };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseReleaseArguments(args);
  const { source, forge } = openTarget(parsed, io);
  const out = (text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  const options = {
    branch: parsed.branch,
    date: parsed.date,
    bump: parsed.bump,
    version: parsed.version,
    codename: parsed.codename,
    initialVersion: parsed.initialVersion,
    changelogStyle: {
      ...(parsed.contributors !== undefined ? { contributors: parsed.contributors } : {}),
      ...(parsed.omitMergeBacks ? { mergeBacks: false } : {}),
    },
  };

  switch (parsed.step) {
    case 'plan': {
      const plan = await planFromSource(source, options);
      out(parsed.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
      return 0;
    }
    case 'prepare': {
      const { plan, applied } = await prepareRelease(source, forge, { ...options, dryRun: parsed.dryRun });
      out(
        parsed.json
          ? JSON.stringify({ plan, applied }, null, 2)
          : `${formatPlan(plan)}\n${formatApplied(applied)}`,
      );
      return 0;
    }
    case 'publish': {
      const results = await publishReleases(source, forge, {
        version: parsed.version,
        branch: parsed.branch,
        dryRun: parsed.dryRun,
      });
      if (parsed.json) out(JSON.stringify(results, null, 2));
      else if (results.length === 0) out('Nothing to publish: every accepted release is tagged.');
      else for (const r of results) out(`Publish ${r.plan.releaseName}\n${formatApplied(r.applied)}`);
      return 0;
    }
    case 'unfinished': {
      const unfinished = await findUnfinishedReleasesIn(source, { branch: parsed.branch });
      if (parsed.json) out(JSON.stringify(unfinished, null, 2));
      else if (unfinished.length === 0) out('No unfinished release.');
      else
        for (const p of unfinished)
          out(`${p.tag} at ${p.sha.slice(0, 12)}${p.pullRequest ? ` (#${p.pullRequest})` : ''}`);
      return 0;
    }
    case 'codenames': {
      const branch = parsed.branch ?? (await source.currentBranch());
      const [tags, releases, record] = await Promise.all([
        source.listTags(),
        source.listReleases(),
        source.readFile(codenamesFilePath, branch).then(parseCodenamesFile),
      ]);
      const history = readCodenameHistory({ record, tags, releases }, cheeseCatalog);
      const left = cheeseCatalog.offered.filter((c) => !history.used.has(c.slug));
      const lines = [...history.byLine].map(([line, slug]) => ({
        line,
        slug,
        name: cheeseCatalog.find(slug)?.name ?? slug,
      }));
      if (parsed.json) {
        out(JSON.stringify({ lines, left: left.length, total: cheeseCatalog.offered.length }, null, 2));
        return 0;
      }
      const used = lines.map(({ line, slug, name }) => `${line}: ${name} (${slug})`);
      out([...used, `${left.length} of ${cheeseCatalog.offered.length} cheeses left.`].join('\n'));
      return 0;
    }
  }
}

export const releaseCommand: Command = {
  name: 'release',
  summary: 'Plan, prepare and publish cheese-named releases with a Traefik-style changelog.',
  help,
  run,
};
