/**
 * `affineur release` end to end on real git repositories: plan, prepare and publish against a
 * local clone, with conventional commits and tags made by the git CLI.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { affineur } from '../../support/run-affineur.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';

const fixtures: GitFixture[] = [];
const repo = () => {
  const fixture = createGitFixture();
  fixtures.push(fixture);
  return fixture;
};
afterEach(() => {
  for (const f of fixtures.splice(0)) f.remove();
});

const date = '--date=2025-11-07';

describe('affineur release on a local clone', () => {
  it('plans the first release from conventional commits without changing anything', async () => {
    const r = repo();
    r.commit('feat(acme): add resolver option');
    const fix = r.commit('fix: crash on empty header');
    r.commit('ci: cache dependencies');
    const before = r.git('status', '--porcelain');

    const { code, out } = await affineur(r.dir, 'release', 'plan', '--dir', r.dir, date);

    expect(code).toBe(0);
    expect(out).toMatch(/^Release v1\.0\.0 "[^"]+" \([a-z0-9]+: new line v1\.0, default pick\)$/m);
    expect(out).toContain('## [v1.0.0](https://github.com/acme/widgets/tree/v1.0.0) (2025-11-07)');
    expect(out).toContain('[All Commits](https://github.com/acme/widgets/commits/v1.0.0)');
    expect(out).toContain('**Enhancements:**\n- **[acme]** Add resolver option');
    expect(out).toContain(
      `- Crash on empty header ([${fix.slice(0, 7)}](https://github.com/acme/widgets/commit/${fix}))`,
    );
    expect(out).not.toContain('Cache dependencies');
    expect(r.git('status', '--porcelain')).toBe(before);
    expect(r.git('tag')).toBe('');
  });

  it('prepares, publishes, and is idempotent at every step', async () => {
    const r = repo();
    r.commit('feat: first feature');

    const planned = JSON.parse(
      (await affineur(r.dir, 'release', 'plan', '--dir', r.dir, date, '--json')).out,
    );
    const dry = await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date, '--dry-run');
    expect(dry.out).toContain(
      'commit CHANGELOG.md, release/codenames.json on main ("Prepare release v1.0.0"): dry run',
    );
    expect(r.git('log', '--format=%s')).toBe('feat: first feature\n');

    const prepared = await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date);
    expect(prepared.code).toBe(0);
    expect(prepared.out).toContain(': done');
    expect(r.git('log', '--format=%s', '-1')).toBe('Prepare release v1.0.0\n');
    const changelog = readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8');
    expect(
      changelog.startsWith('## [v1.0.0](https://github.com/acme/widgets/tree/v1.0.0) (2025-11-07)\n'),
    ).toBe(true);
    const codenames = JSON.parse(readFileSync(join(r.dir, 'release/codenames.json'), 'utf8'));
    expect(codenames).toEqual({ 'v1.0': planned.codename.slug });

    // Running prepare again changes nothing: same files, no new commit.
    const again = await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date);
    expect(again.out).toContain(': already done');
    expect(r.git('rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8')).toBe(changelog);

    // The prepared commit is an unfinished release until it is tagged.
    expect((await affineur(r.dir, 'release', 'unfinished', '--dir', r.dir)).out).toMatch(
      /^v1\.0\.0 at [0-9a-f]{12}$/m,
    );

    const dryPublish = await affineur(r.dir, 'release', 'publish', '--dir', r.dir, '--dry-run');
    expect(dryPublish.out).toContain('create annotated tag v1.0.0');
    expect(r.git('tag')).toBe('');

    const published = await affineur(r.dir, 'release', 'publish', '--dir', r.dir);
    expect(published.code).toBe(0);
    expect(published.out).toContain(`Publish v1.0.0 (${planned.codename.name})`);
    expect(r.git('tag')).toBe('v1.0.0\n');
    expect(r.git('tag', '-l', '--format=%(contents)', 'v1.0.0')).toBe(
      `v1.0.0 (${planned.codename.name})\n\ncodename: ${planned.codename.slug}\n\n`,
    );
    expect(r.git('rev-parse', 'v1.0.0^{commit}')).toBe(r.git('rev-parse', 'HEAD'));
    expect(r.git('branch', '--list', 'v1.0').trim()).toBe('v1.0');
    expect((await affineur(r.dir, 'release', 'unfinished', '--dir', r.dir)).out).toBe(
      'No unfinished release.\n',
    );

    // Publishing a done release again changes nothing.
    expect((await affineur(r.dir, 'release', 'publish', '--dir', r.dir)).out).toBe(
      'Nothing to publish: every accepted release is tagged.\n',
    );
    const republished = await affineur(r.dir, 'release', 'publish', '--dir', r.dir, '--version', 'v1.0.0');
    expect(republished.out).toContain('create annotated tag v1.0.0 at');
    expect(republished.out).not.toMatch(/: done$/m);
  });

  it('gives each new line a new cheese, keeps it for candidates, the final and patches', async () => {
    const r = repo();
    r.commit('feat: one');
    await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date);
    await affineur(r.dir, 'release', 'publish', '--dir', r.dir);
    const first = JSON.parse(readFileSync(join(r.dir, 'release/codenames.json'), 'utf8'))['v1.0'];

    // A release candidate for the next minor, then a second one, then the final.
    r.commit('feat(middleware): two');
    const rc1 = await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date, '--bump', 'rc');
    expect(rc1.out).toMatch(/^Release v1\.1\.0-rc\.1 /m);
    await affineur(r.dir, 'release', 'publish', '--dir', r.dir);
    r.commit('fix(middleware): three');
    const rc2 = await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date, '--bump', 'rc');
    expect(rc2.out).toMatch(/^Release v1\.1\.0-rc\.2 ".+" \([a-z0-9]+: the codename of line v1\.1\)$/m);
    expect(rc2.out).toContain(
      '[All Commits](https://github.com/acme/widgets/compare/v1.1.0-rc.1...v1.1.0-rc.2)',
    );
    await affineur(r.dir, 'release', 'publish', '--dir', r.dir);
    r.commit('docs: four');
    const final = await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date);
    expect(final.out).toMatch(/^Release v1\.1\.0 /m);
    // The final covers the whole line, both candidates included, and compares from the previous
    // line's first tag, as Traefik's v3.3.0 does (v3.2.0-rc1...v3.3.0).
    expect(final.out).toContain('Changelog covers the whole line v1.1, compared from v1.0.0\n');
    expect(final.out).toContain('[All Commits](https://github.com/acme/widgets/compare/v1.0.0...v1.1.0)');
    expect(final.out).toContain('- **[middleware]** Two (');
    expect(final.out).toContain('- **[middleware]** Three (');
    expect(final.out).toContain('- Four (');
    expect(final.out).not.toContain('- One (');
    await affineur(r.dir, 'release', 'publish', '--dir', r.dir);

    const record = JSON.parse(readFileSync(join(r.dir, 'release/codenames.json'), 'utf8'));
    expect(Object.keys(record)).toEqual(['v1.0', 'v1.1']);
    expect(record['v1.1']).not.toBe(first);
    expect(r.git('tag', '-l', '--format=%(contents:subject)', 'v1.1.0-rc.1')).toBe(
      r.git('tag', '-l', '--format=%(contents:subject)', 'v1.1.0').replace('v1.1.0 ', 'v1.1.0-rc.1 '),
    );
    expect(r.git('branch', '--list', 'v1.1').trim()).toBe('v1.1');

    // A patch belongs on its release branch: refused from main, planned from v1.1.
    r.commit('fix: five');
    const fromMain = await affineur(r.dir, 'release', 'plan', '--dir', r.dir, date);
    expect(fromMain.code).toBe(1);
    expect(fromMain.err).toContain('AFF_ERR_RELEASE_BAD_BUMP');
    expect(fromMain.err).toContain('--branch v1.1');

    r.git('checkout', '-q', 'v1.1');
    r.commit('fix(acme): backported fix');
    const patch = await affineur(r.dir, 'release', 'prepare', '--dir', r.dir, date);
    expect(patch.out).toMatch(/^Release v1\.1\.1 ".+" \(([a-z0-9]+): the codename of line v1\.1\)$/m);
    expect(patch.out).toContain(`(${record['v1.1']}: the codename of line v1.1)`);
    expect(patch.out).toContain('[All Commits](https://github.com/acme/widgets/compare/v1.1.0...v1.1.1)');
    expect(patch.out).toContain('- **[acme]** Backported fix');
    expect(patch.out).not.toContain('Five');
    await affineur(r.dir, 'release', 'publish', '--dir', r.dir);
    expect(r.git('tag', '--list', 'v1.1.1').trim()).toBe('v1.1.1');
  });

  it('reads codenames from annotated tags, and refuses a used or unknown codename with suggestions', async () => {
    const r = repo();
    r.commit('feat: one');
    r.git('tag', '-a', 'v2.0.0', '-m', "v2.0.0 Mont d'Or");
    r.commit('feat: two');

    const used = await affineur(r.dir, 'release', 'plan', '--dir', r.dir, date, '--codename', 'mont dor');
    expect(used.code).toBe(1);
    expect(used.err).toContain('AFF_ERR_RELEASE_CODENAME_USED');
    expect(used.err).toContain('already names release line v2.0');

    const unknown = await affineur(r.dir, 'release', 'plan', '--dir', r.dir, date, '--codename', 'reblochn');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('AFF_ERR_RELEASE_CODENAME_UNKNOWN');
    expect(unknown.err).toContain('Did you mean "Reblochon" (reblochon)?');

    const named = await affineur(
      r.dir,
      'release',
      'plan',
      '--dir',
      r.dir,
      date,
      '--codename',
      'Saint-Nectaire',
    );
    expect(named.out).toMatch(
      /^Release v2\.1\.0 "Saint-Nectaire" \(saintnectaire: new line v2\.1, as requested\)$/m,
    );

    const listed = await affineur(r.dir, 'release', 'codenames', '--dir', r.dir);
    expect(listed.out).toContain('v2.0: Mont d’Or (montdor)');
  });

  it('says clearly when there is nothing to release, and refuses bad options', async () => {
    const r = repo();
    r.commit('feat: one');
    r.git('tag', 'v1.0.0');
    r.commit('chore: tidy');
    const nothing = await affineur(r.dir, 'release', 'plan', '--dir', r.dir);
    expect(nothing.code).toBe(1);
    expect(nothing.err).toContain('AFF_ERR_RELEASE_NOTHING_TO_RELEASE');
    expect((await affineur(r.dir, 'release', 'plan', '--dir', r.dir, '--bump', 'patch', date)).out).toMatch(
      /^Release v1\.0\.1 /m,
    );

    const badFlag = await affineur(r.dir, 'release', 'plan', '--dri-run');
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toContain('Did you mean --dry-run?');
    const badStep = await affineur(r.dir, 'release', 'plna');
    expect(badStep.err).toContain('Did you mean "plan"?');
  });
});
