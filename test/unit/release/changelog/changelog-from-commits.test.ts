import { describe, expect, it } from 'vitest';
import { changelogFromCommits } from '../../../../release/changelog/changelog-from-commits.js';
import { repositoryLinks } from '../../../../release/changelog/repository-links.js';

const links = repositoryLinks('https://github.com', 'acme', 'widgets');
const sha = (c: string) => c.repeat(40);

describe('changelog from conventional commits (conventional-changelog-writer)', () => {
  it('writes the Traefik shape: sections in order, scopes as areas, PR links for squash merges', async () => {
    const commits = [
      { sha: sha('a'), message: 'feat(acme,tls): add resolver option (#12)' },
      { sha: sha('b'), message: 'fix: crash on empty header' },
      { sha: sha('c'), message: 'docs(middleware): explain retry' },
      { sha: sha('d'), message: 'ci: faster pipeline' },
      { sha: sha('e'), message: 'chore: tidy the tree' },
      { sha: sha('f'), message: 'fix(k8s/crd): missing field' },
      { sha: sha('1'), message: 'chore(release): Prepare release v1.0.1' },
      { sha: sha('2'), message: "Merge branch 'v1.0' into main" },
      { sha: sha('3'), message: 'Update README' },
    ];
    const text = await changelogFromCommits(
      { tag: 'v1.1.0', previousTag: 'v1.0.0', date: '2025-01-02', links },
      commits,
    );
    expect(text).toBe(`## [v1.1.0](https://github.com/acme/widgets/tree/v1.1.0) (2025-01-02)
[All Commits](https://github.com/acme/widgets/compare/v1.0.0...v1.1.0)

**Enhancements:**
- **[acme, tls]** Add resolver option ([#12](https://github.com/acme/widgets/pull/12))

**Bug fixes:**
- **[k8s/crd]** Missing field ([fffffff](https://github.com/acme/widgets/commit/${sha('f')}))
- Crash on empty header ([bbbbbbb](https://github.com/acme/widgets/commit/${sha('b')}))

**Documentation:**
- **[middleware]** Explain retry ([ccccccc](https://github.com/acme/widgets/commit/${sha('c')}))

**Misc:**
- Tidy the tree ([eeeeeee](https://github.com/acme/widgets/commit/${sha('e')}))
- Update README ([3333333](https://github.com/acme/widgets/commit/${sha('3')}))
`);
  });

  it('drops a commit and its revert', async () => {
    const text = await changelogFromCommits(
      { tag: 'v1.0.1', previousTag: 'v1.0.0', date: '2025-01-02', links },
      [
        { sha: sha('b'), message: `Revert "fix: risky change"\n\nThis reverts commit ${sha('a')}.` },
        { sha: sha('a'), message: 'fix: risky change' },
        { sha: sha('c'), message: 'fix: safe change' },
      ],
    );
    expect(text).toContain('Safe change');
    expect(text).not.toContain('isky change');
  });
});
