/**
 * Every flag of `affineur release` either does what it says for the step it is given to, or is
 * an error (exit code 2) naming the steps it applies to. Run end to end through the CLI on real
 * git repositories, so "does what it says" is read back from git and the output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { affineur } from '../../support/run-affineur.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';

const fixtures: GitFixture[] = [];
function releasedRepo(): GitFixture {
  const r = createGitFixture();
  fixtures.push(r);
  r.commit('feat: one');
  return r;
}
afterEach(() => {
  for (const f of fixtures.splice(0)) f.remove();
});

const date = '--date=2025-11-07';

describe('affineur release: a flag that does not apply is an error naming its steps', () => {
  const refused: [string, string[], string][] = [
    ['codenames', ['--dry-run'], 'affineur release prepare|publish'],
    ['unfinished', ['--dry-run'], 'affineur release prepare|publish'],
    ['plan', ['--dry-run'], 'affineur release prepare|publish'],
    ['publish', ['--bump', 'patch'], 'affineur release plan|prepare'],
    ['publish', ['--codename', 'brie'], 'affineur release plan|prepare'],
    ['publish', ['--date', '2025-11-07'], 'affineur release plan|prepare'],
    ['codenames', ['--version', 'v1.0.0'], 'affineur release plan|prepare|publish'],
    ['unfinished', ['--contributors', 'link'], 'affineur release plan|prepare'],
    ['publish', ['--omit-merge-backs'], 'affineur release plan|prepare'],
  ];
  for (const [step, flag, appliesTo] of refused) {
    it(`refuses ${flag[0]} on ${step}`, async () => {
      const r = releasedRepo();
      const before = r.git('log', '--all', '--format=%H');
      const result = await affineur(r.dir, 'release', step, '--dir', r.dir, ...flag);
      expect(result.code).toBe(2);
      expect(result.err).toContain(`${flag[0]} does not apply to \`affineur release ${step}\``);
      expect(result.err).toContain(`It applies to \`${appliesTo}\``);
      expect(result.out).toBe('');
      expect(r.git('log', '--all', '--format=%H')).toBe(before);
      expect(r.git('tag')).toBe('');
    });
  }

  it('refuses --bump with --version, and a date that is not a day', async () => {
    const r = releasedRepo();
    const both = await affineur(
      r.dir,
      'release',
      'plan',
      '--dir',
      r.dir,
      '--bump',
      'minor',
      '--version',
      'v2.0.0',
    );
    expect(both.code).toBe(2);
    expect(both.err).toContain('--bump and --version cannot be used together');
    const feb30 = await affineur(r.dir, 'release', 'plan', '--dir', r.dir, '--date', '2025-02-30');
    expect(feb30.code).toBe(2);
    expect(feb30.err).toContain('--date must be a day written YYYY-MM-DD');
  });
});

describe('affineur release: the flags that apply do what they say', () => {
  it('codenames --json prints the lines and the cheeses left as JSON', async () => {
    const r = releasedRepo();
    r.git('tag', '-a', 'v2.0.0', '-m', "v2.0.0 Mont d'Or");
    const listed = await affineur(r.dir, 'release', 'codenames', '--dir', r.dir, '--json');
    expect(listed.code).toBe(0);
    const parsed = JSON.parse(listed.out) as { lines: unknown[]; left: number; total: number };
    expect(parsed.lines).toEqual([{ line: 'v2.0', slug: 'montdor', name: 'Mont d’Or' }]);
    expect(parsed.left).toBe(parsed.total - 1);
  });

  it('plan --version and prepare --version release exactly that version, and refuse one that does not fit', async () => {
    const r = releasedRepo();
    r.git('tag', '-a', 'v1.0.0', '-m', 'v1.0.0 (Brie)\n\ncodename: brie');
    r.commit('fix: two');
    const planned = await affineur(r.dir, 'release', 'plan', '--dir', r.dir, date, '--version', 'v1.2.0');
    expect(planned.code).toBe(0);
    expect(planned.out).toMatch(/^Release v1\.2\.0 /m);
    expect(planned.out).toContain('Why: --version asks for v1.2.0');

    const older = await affineur(r.dir, 'release', 'plan', '--dir', r.dir, date, '--version', 'v0.9.0');
    expect(older.code).toBe(1);
    expect(older.err).toContain('does not come after the previous release v1.0.0');
    const beta = await affineur(r.dir, 'release', 'plan', '--dir', r.dir, date, '--version', 'v1.2.0-beta1');
    expect(beta.err).toContain('new release candidates are written -rc.N');

    const prepared = await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date, '--version', 'v1.2.0');
    expect(prepared.code).toBe(0);
    expect(r.git('log', '--format=%s', '-1')).toBe('Prepare release v1.2.0\n');
    expect(r.git('show', 'HEAD:CHANGELOG.md')).toMatch(/^## \[v1\.2\.0\]/);
  });

  it('plan takes the changelog settings (checked against the forge in merge-back-cascade.test.ts) and refuses a bad style', async () => {
    const r = releasedRepo();
    r.git('tag', 'v1.0.0');
    r.commit('feat(proxy): add a brie middleware (#12)');
    const plain = await affineur(
      r.dir,
      'release',
      'plan',
      '--dir',
      r.dir,
      date,
      '--contributors',
      'link',
      '--omit-merge-backs',
    );
    expect(plain.code).toBe(0);
    // A clone has no pull-request authors; the conventional prefix still goes.
    expect(plain.out).toContain(
      '- **[proxy]** Add a brie middleware ([#12](https://github.com/acme/widgets/pull/12))\n',
    );
    const wrong = await affineur(r.dir, 'release', 'plan', '--dir', r.dir, '--contributors', 'at');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('--contributors must be by-mention, mention, link, not "at"');
  });

  it('publish --branch and unfinished --branch only look at releases accepted into that branch', async () => {
    const r = releasedRepo();
    await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date, '--bump', 'minor');
    const proposal = r.git('rev-parse', 'HEAD').trim();
    r.git('checkout', '-q', '-b', 'other', 'HEAD~1');

    // From `other`, the proposal on main is found with --branch main, and only then.
    const none = await affineur(r.dir, 'release', 'unfinished', '--dir', r.dir);
    expect(none.out).toBe('No unfinished release.\n');
    const onMain = await affineur(
      r.dir,
      'release',
      'unfinished',
      '--dir',
      r.dir,
      '--branch',
      'main',
      '--json',
    );
    expect(JSON.parse(onMain.out)).toEqual([{ tag: 'v0.1.0', sha: proposal, branch: 'main' }]);

    const dry = await affineur(r.dir, 'release', 'publish', '--dir', r.dir, '--branch', 'main', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`create annotated tag v0.1.0 at ${proposal.slice(0, 12)}: dry run, not done`);
    expect(r.git('tag')).toBe('');
    const published = await affineur(r.dir, 'release', 'publish', '--dir', r.dir, '--branch', 'main');
    expect(published.code).toBe(0);
    expect(r.git('rev-parse', 'v0.1.0^{commit}').trim()).toBe(proposal);
  });
});
