import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemaPath, repoConfigJsonSchema } from '../../../../bot/config/json-schema.js';
import { type ConfigFileLocation, loadRepoConfig } from '../../../../bot/config/load-repo-config.js';
import {
  defaultRepoConfig,
  mergeRepoConfig,
  parseRepoConfigFile,
} from '../../../../bot/config/parse-repo-config.js';
import { areaRuleProblems } from '../../../../bot/triage/area-rule-problems.js';
import { AffineurError, AffineurErrorList } from '../../../../src/errors/affineur-error.js';

const root = new URL('../../../../', import.meta.url);

function errorsOf(fn: () => unknown): AffineurError[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof AffineurErrorList) return [...error.errors];
    if (error instanceof AffineurError) return [error];
    throw error;
  }
  throw new Error('expected an error');
}

/** A reader over files kept in memory, keyed `owner/repo:path`. */
function readerOf(files: Record<string, string>) {
  const reads: string[] = [];
  const read = async ({ owner, repo, path }: ConfigFileLocation) => {
    reads.push(`${owner}/${repo}:${path}`);
    return files[`${owner}/${repo}:${path}`];
  };
  return { read, reads };
}

describe('the repository configuration schema', () => {
  it('is committed as JSON Schema, up to date (run `npm run schema` after changing it)', () => {
    expect(readFileSync(new URL(jsonSchemaPath, root), 'utf8')).toBe(repoConfigJsonSchema());
  });

  it('documents every property', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const record = node as { properties?: Record<string, { description?: string }>; items?: unknown };
      for (const [key, child] of Object.entries(record.properties ?? {})) {
        if (!child.description) undocumented.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
      }
      walk(record.items, `${path}[].`);
    };
    walk(JSON.parse(repoConfigJsonSchema()), '');
    expect(undocumented).toEqual([]);
  });

  it('defaults to Traefik’s taxonomy and merge settings', () => {
    const config = defaultRepoConfig();
    expect(config.merge).toMatchObject({
      minReview: 3,
      minLightReview: 1,
      method: 'squash',
      needMilestone: true,
    });
    expect(config.merge.retry.interval).toBe(60_000);
    expect(config.triage.size.limits).toEqual({
      S: { sum: 150, diff: 70, files: 20 },
      M: { sum: 400, diff: 200, files: 50 },
    });
    const names = config.labels.definitions.map((l) => l.name);
    for (const name of [
      'status/0-needs-triage',
      'status/5-frozen-due-to-age',
      'size/M',
      'priority/P3',
      'bot/merge-no-rebase',
    ]) {
      expect(names).toContain(name);
    }
    expect(config.labels.prune).toBe(false);
  });

  it('accepts this project’s own .github/affineur.yml', () => {
    const text = readFileSync(new URL('.github/affineur.yml', root), 'utf8');
    expect(() => parseRepoConfigFile(text, '.github/affineur.yml')).not.toThrow();
  });

  it('names the line, key path and fix for each problem, all at once', () => {
    const text = [
      'triage:',
      '  size:',
      '    limits:',
      '      S: { sum: 0, diff: 2, files: 3 }',
      'merge:',
      '  minReviews: 2',
      '  retry:',
      '    interval: soon',
      '',
    ].join('\n');
    const errors = errorsOf(() => parseRepoConfigFile(text, '.github/affineur.yml'));
    expect(
      errors.map((e) => [e.code, e.line, e.keyPath]).sort((a, b) => (a[1] as number) - (b[1] as number)),
    ).toEqual(
      [
        ['AFF_ERR_CONFIG_INVALID', 4, 'triage.size.limits.S.sum'],
        ['AFF_ERR_CONFIG_UNKNOWN_KEY', 6, 'merge.minReviews'],
        ['AFF_ERR_CONFIG_DURATION', 8, 'merge.retry.interval'],
      ].sort((a, b) => (a[1] as number) - (b[1] as number)),
    );
    expect(errors.find((e) => e.keyPath === 'merge.minReviews')?.message).toContain(
      'Did you mean "minReview"?',
    );
  });

  it('keeps a config whose regex rule does not compile (the rule is reported and skipped), and rejects YAML that does not parse', () => {
    const regex =
      'triage:\n  areas:\n    rules:\n      - label: area/x\n        syntax: regex\n        paths: ["("]\n      - label: area/consul\n        syntax: regex\n        paths: ["(?i).*(consul).*"]\n';
    const config = mergeRepoConfig([parseRepoConfigFile(regex, 'c.yml')]);
    expect(areaRuleProblems(config.triage.areas)).toEqual([
      { keyPath: 'triage.areas.rules[0].paths[0]', pattern: '(', detail: expect.stringContaining('(') },
    ]);
    expect(errorsOf(() => parseRepoConfigFile('triage:\n  enabled: [\n', 'c.yml'))[0]?.code).toBe(
      'AFF_ERR_CONFIG_PARSE',
    );
  });
});

describe('loadRepoConfig', () => {
  it('uses the defaults when neither the repo nor the owner’s .github repo has a file', async () => {
    const { read, reads } = readerOf({});
    const loaded = await loadRepoConfig(read, { owner: 'acme', repo: 'app' });
    expect(loaded).toEqual({ config: defaultRepoConfig(), sources: [] });
    expect(reads).toEqual(['acme/app:.github/affineur.yml', 'acme/.github:.github/affineur.yml']);
  });

  it('falls back to the owner’s .github repository', async () => {
    const { read } = readerOf({ 'acme/.github:.github/affineur.yml': 'dryRun: true\n' });
    const loaded = await loadRepoConfig(read, { owner: 'acme', repo: 'app' });
    expect(loaded.config.dryRun).toBe(true);
    expect(loaded.sources).toEqual(['acme/.github:.github/affineur.yml']);
  });

  it('follows _extends; top-level keys of the extending file win, as in Probot', async () => {
    const { read } = readerOf({
      'acme/app:.github/affineur.yml': '_extends: shared:bots/affineur.yml\nmerge:\n  minReview: 1\n',
      'acme/shared:bots/affineur.yml':
        '_extends: other/base\ndryRun: true\nmerge:\n  minReview: 2\n  method: rebase\n',
      'other/base:.github/affineur.yml': 'labels:\n  prune: true\n',
    });
    const { config, sources } = await loadRepoConfig(read, { owner: 'acme', repo: 'app' });
    expect(sources).toEqual([
      '.github/affineur.yml',
      'acme/shared:bots/affineur.yml',
      'other/base:.github/affineur.yml',
    ]);
    expect(config.dryRun).toBe(true);
    expect(config.labels.prune).toBe(true);
    // `merge` is replaced as a whole, so `method` falls back to its default.
    expect(config.merge).toMatchObject({ minReview: 1, method: 'squash' });
  });

  it('reports a loop, a missing target and a malformed _extends with the file at fault', async () => {
    const loop = readerOf({ 'acme/app:.github/affineur.yml': '_extends: app\n' });
    await expect(loadRepoConfig(loop.read, { owner: 'acme', repo: 'app' })).rejects.toMatchObject({
      code: 'AFF_ERR_BOT_CONFIG_EXTENDS',
      keyPath: '_extends',
    });
    const missing = readerOf({ 'acme/app:.github/affineur.yml': '_extends: nowhere\n' });
    await expect(loadRepoConfig(missing.read, { owner: 'acme', repo: 'app' })).rejects.toThrow(
      /acme\/nowhere:\.github\/affineur\.yml, which does not exist/,
    );
    const malformed = readerOf({ 'acme/app:.github/affineur.yml': '_extends: "a b"\n' });
    await expect(loadRepoConfig(malformed.read, { owner: 'acme', repo: 'app' })).rejects.toThrow(
      /not a repository reference/,
    );
  });

  it('names the extended file when that file is the invalid one', async () => {
    const { read } = readerOf({
      'acme/app:.github/affineur.yml': '_extends: .github\n',
      'acme/.github:.github/affineur.yml': 'triage:\n  sise: {}\n',
    });
    await expect(loadRepoConfig(read, { owner: 'acme', repo: 'app' })).rejects.toMatchObject({
      file: 'acme/.github:.github/affineur.yml',
      line: 2,
      keyPath: 'triage.sise',
    });
  });
});
