/**
 * A PR that changes `.github/affineur.yml` gets an `affineur/config` check run: success when the
 * file is valid, failure naming each problem's line, key path and fix (as annotations on the
 * file, too) when it is not. The bot-config-utils model from googleapis/repo-automation-bots.
 */
import { AffineurError, AffineurErrorList } from '../../src/errors/affineur-error.js';
import { loadRepoConfig } from '../config/load-repo-config.js';
import { repoConfigPath } from '../config/repo-config-schema.js';
import { areaRuleProblems } from '../triage/area-rule-problems.js';
import { githubConfigReader } from './config-file-reader.js';
import type { GitHubClient, RepoRef } from './github-client.js';

export const configCheckName = 'affineur/config';

export async function checkConfigChange(
  octokit: GitHubClient,
  repo: RepoRef,
  headSha: string,
  dryRun: boolean,
): Promise<{ valid: boolean; problems: AffineurError[] }> {
  let problems: AffineurError[] = [];
  try {
    const { config } = await loadRepoConfig(githubConfigReader(octokit), { ...repo, ref: headSha });
    // Valid for the schema but skipped at run time: reported here so the author sees it.
    problems = areaRuleProblems(config.triage.areas).map(
      (p) =>
        new AffineurError(
          'AFF_ERR_BOT_AREA_RULE_REGEX',
          `${JSON.stringify(p.pattern)} is not an RE2 regular expression: ${p.detail}.`,
          {
            file: repoConfigPath,
            keyPath: p.keyPath,
            hint: 'Use RE2/Go syntax (no lookarounds or backreferences); until it compiles, this rule matches nothing and the rest of the bot runs.',
          },
        ),
    );
  } catch (error) {
    if (error instanceof AffineurErrorList) problems = [...error.errors];
    else if (error instanceof AffineurError) problems = [error];
    else throw error;
  }
  const valid = problems.length === 0;
  if (dryRun) return { valid, problems };
  await octokit.rest.checks.create({
    ...repo,
    name: configCheckName,
    head_sha: headSha,
    status: 'completed',
    conclusion: valid ? 'success' : 'failure',
    output: valid
      ? { title: `${repoConfigPath} is valid`, summary: 'The configuration matches the schema.' }
      : {
          title: `${problems.length} problem(s) in ${repoConfigPath}`,
          summary: problems.map((p) => `- ${p.message}`).join('\n'),
          annotations: problems
            .filter((p) => p.file === repoConfigPath)
            .slice(0, 50)
            .map((p) => ({
              path: repoConfigPath,
              start_line: p.line ?? 1,
              end_line: p.line ?? 1,
              annotation_level: 'failure' as const,
              title: p.keyPath ?? p.code,
              message: p.message,
            })),
        },
  });
  return { valid, problems };
}
