import { describe, expect, it } from 'vitest';
import {
  changelogSectionFor,
  newestChangelogTag,
  prependToChangelog,
} from '../../../../release/changelog/prepend-to-changelog.js';

const section = (tag: string, line: string) =>
  `## [${tag}](https://github.com/o/r/tree/${tag}) (2025-01-02)\n[All Commits](https://github.com/o/r/commits/${tag})\n\n**Bug fixes:**\n- ${line}\n`;

describe('prependToChangelog', () => {
  it('creates the file from nothing', () => {
    expect(prependToChangelog(undefined, 'v1.0.0', section('v1.0.0', 'a'))).toBe(section('v1.0.0', 'a'));
  });

  it('puts the new section on top, separated by one blank line', () => {
    const existing = section('v1.0.0', 'a');
    expect(prependToChangelog(existing, 'v1.1.0', section('v1.1.0', 'b'))).toBe(
      `${section('v1.1.0', 'b')}\n${section('v1.0.0', 'a')}`,
    );
  });

  it('keeps a title line on top', () => {
    const existing = `# Changelog\n\n${section('v1.0.0', 'a')}`;
    expect(prependToChangelog(existing, 'v1.1.0', section('v1.1.0', 'b'))).toBe(
      `# Changelog\n\n${section('v1.1.0', 'b')}\n${section('v1.0.0', 'a')}`,
    );
    expect(prependToChangelog('# Changelog\n', 'v1.0.0', section('v1.0.0', 'a'))).toBe(
      `# Changelog\n\n${section('v1.0.0', 'a')}`,
    );
  });

  it('is idempotent: running twice never duplicates, a re-run replaces its own section', () => {
    const once = prependToChangelog(section('v1.0.0', 'a'), 'v1.1.0', section('v1.1.0', 'b'));
    expect(prependToChangelog(once, 'v1.1.0', section('v1.1.0', 'b'))).toBe(once);
    const updated = prependToChangelog(once, 'v1.1.0', section('v1.1.0', 'c'));
    expect(updated).toBe(`${section('v1.1.0', 'c')}\n${section('v1.0.0', 'a')}`);
  });

  it('does not mistake v1.1.0-rc.1 for v1.1.0', () => {
    const withRc = prependToChangelog(undefined, 'v1.1.0-rc.1', section('v1.1.0-rc.1', 'a'));
    const final = prependToChangelog(withRc, 'v1.1.0', section('v1.1.0', 'b'));
    expect(final).toBe(`${section('v1.1.0', 'b')}\n${section('v1.1.0-rc.1', 'a')}`);
  });

  it('reads a section back for the release notes', () => {
    const text = `${section('v1.1.0', 'b')}\n${section('v1.0.0', 'a')}`;
    expect(changelogSectionFor(text, 'v1.1.0')).toBe(section('v1.1.0', 'b'));
    expect(changelogSectionFor(text, 'v1.0.0')).toBe(section('v1.0.0', 'a'));
    expect(changelogSectionFor(text, 'v0.9.0')).toBeUndefined();
    expect(newestChangelogTag(text)).toBe('v1.1.0');
  });
});
