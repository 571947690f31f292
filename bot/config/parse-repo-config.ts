import { parseConfigText } from '../../src/config/config-file.js';
import { normalizeToSchema } from '../../src/config/normalize.js';
import { validateConfig } from '../../src/config/validate.js';
import { type RepoConfig, repoConfigSchema } from './repo-config-schema.js';

/** One config file's content before merging: validated, with its `_extends` pointer if any. */
export interface ParsedConfigFile {
  /** The keys the file sets (defaults not applied), for merging. */
  values: Record<string, unknown>;
  extends: string | undefined;
}

/**
 * Parses and validates the text of one `.github/affineur.yml`. Throws an AffineurError (or a
 * list) whose message names the file and line, the key path, and the fix.
 * @param source how the file is named in errors, e.g. `.github/affineur.yml` or `acme/.github:.github/affineur.yml`
 */
export function parseRepoConfigFile(text: string, source: string): ParsedConfigFile {
  const file = parseConfigText(text, source, 'yaml');
  const value = normalizeToSchema(file.value ?? {}, repoConfigSchema);
  const validated = validateConfig(repoConfigSchema, value, { source, isFile: true, locate: file.locate });
  const values = { ...(value as Record<string, unknown>) };
  delete values._extends;
  return { values, extends: validated._extends };
}

/**
 * Merges files the way Probot's `context.config` does: a top-level key set in a file replaces
 * the same key inherited from the file it extends (no deep merge), then defaults fill the rest.
 * @param files the repository's file first, then each file it extends
 */
export function mergeRepoConfig(files: readonly ParsedConfigFile[]): RepoConfig {
  const merged = Object.assign({}, ...[...files].reverse().map((file) => file.values));
  return repoConfigSchema.parse(merged);
}

export const defaultRepoConfig = (): RepoConfig => repoConfigSchema.parse({});
