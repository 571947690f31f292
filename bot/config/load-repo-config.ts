/**
 * Finds and merges a repository's configuration, with Probot's rules: the repo's own
 * `.github/affineur.yml`, else the one in the owner's `.github` repository; then each
 * `_extends` target in turn. We read the files ourselves rather than through Probot's
 * `context.config` because a good error needs the raw text (for line numbers) of the exact file
 * at fault, and Probot's loader only hands back parsed objects.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import { mergeRepoConfig, type ParsedConfigFile, parseRepoConfigFile } from './parse-repo-config.js';
import { type RepoConfig, repoConfigPath } from './repo-config-schema.js';

export interface ConfigFileLocation {
  owner: string;
  repo: string;
  path: string;
  /** A branch, tag or sha; the default branch when absent. */
  ref?: string;
}

/** Reads a file's text; resolves to undefined when it does not exist. */
export type ConfigFileReader = (location: ConfigFileLocation) => Promise<string | undefined>;

export interface LoadedRepoConfig {
  config: RepoConfig;
  /** The files used, the repository's own first; empty when the defaults apply. */
  sources: string[];
}

const maxExtends = 5;

export async function loadRepoConfig(
  read: ConfigFileReader,
  target: { owner: string; repo: string; ref?: string },
): Promise<LoadedRepoConfig> {
  let location: ConfigFileLocation = { ...target, path: repoConfigPath };
  let text = await read(location);
  if (text === undefined && target.repo !== '.github') {
    location = { owner: target.owner, repo: '.github', path: repoConfigPath };
    text = await read(location);
  }
  if (text === undefined) return { config: mergeRepoConfig([]), sources: [] };

  const files: ParsedConfigFile[] = [];
  const sources: string[] = [];
  for (;;) {
    const source = sourceName(location, target);
    const file = parseRepoConfigFile(text, source);
    files.push(file);
    sources.push(source);
    if (file.extends === undefined) break;
    const next = extendsTarget(file.extends, location, source);
    const nextName = sourceName(next, target);
    if (sources.includes(nextName) || files.length > maxExtends) {
      throw new AffineurError(
        'AFF_ERR_BOT_CONFIG_EXTENDS',
        `"_extends: ${file.extends}" leads to a loop or a chain longer than ${maxExtends}.`,
        {
          file: source,
          keyPath: '_extends',
          hint: `Point _extends at a file that does not extend back (chain: ${[...sources, nextName].join(' → ')}).`,
        },
      );
    }
    const nextText = await read(next);
    if (nextText === undefined) {
      throw new AffineurError(
        'AFF_ERR_BOT_CONFIG_EXTENDS',
        `"_extends: ${file.extends}" points at ${nextName}, which does not exist.`,
        {
          file: source,
          keyPath: '_extends',
          hint: 'Fix the repository or path, or make sure the app is installed on that repository.',
        },
      );
    }
    location = next;
    text = nextText;
  }
  return { config: mergeRepoConfig(files), sources };
}

const extendsPattern = /^(?:([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/)?([\w.-]+)(?::([\w./-]+\.ya?ml))?$/;

/** `repo`, `owner/repo` or `owner/repo:path/file.yml`, relative to the file that says it. */
export function extendsTarget(value: string, from: ConfigFileLocation, source: string): ConfigFileLocation {
  const match = extendsPattern.exec(value.trim());
  if (!match) {
    throw new AffineurError(
      'AFF_ERR_BOT_CONFIG_EXTENDS',
      `"_extends: ${value}" is not a repository reference.`,
      {
        file: source,
        keyPath: '_extends',
        hint: 'Write `repo`, `owner/repo` or `owner/repo:path/to/file.yml`.',
      },
    );
  }
  return { owner: match[1] ?? from.owner, repo: match[2]!, path: match[3] ?? repoConfigPath };
}

function sourceName(location: ConfigFileLocation, target: { owner: string; repo: string }): string {
  const own = location.owner === target.owner && location.repo === target.repo;
  return own ? location.path : `${location.owner}/${location.repo}:${location.path}`;
}
