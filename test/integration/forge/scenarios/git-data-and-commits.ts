import { describe, expect, it } from 'vitest';
import { type ForgeHarness, statusOf } from '../../../support/forge-harness.js';

export function gitDataAndCommitsTests(h: () => ForgeHarness): void {
  describe('git data, commits and comparisons', () => {
    it('builds a commit from blobs, trees and an annotated tag, then reads history and compares', async () => {
      const alice = h().as('alice');
      const repo = { owner: 'alice', repo: 'gitdata' };
      await alice.rest.repos.createForAuthenticatedUser({ name: 'gitdata', auto_init: true });
      const { data: main } = await alice.rest.git.getRef({ ...repo, ref: 'heads/main' });
      const root = main.object.sha;

      const { data: blob } = await alice.rest.git.createBlob({
        ...repo,
        content: Buffer.from('binary\0data').toString('base64'),
        encoding: 'base64',
      });
      const { data: readBlob } = await alice.rest.git.getBlob({ ...repo, file_sha: blob.sha });
      expect(Buffer.from(readBlob.content, 'base64').toString()).toBe('binary\0data');
      expect(readBlob.size).toBe(11);

      const { data: rootCommit } = await alice.rest.git.getCommit({ ...repo, commit_sha: root });
      const { data: tree } = await alice.rest.git.createTree({
        ...repo,
        base_tree: rootCommit.tree.sha,
        tree: [
          { path: 'src/data.bin', mode: '100644', type: 'blob', sha: blob.sha },
          { path: 'src/app.ts', mode: '100644', type: 'blob', content: 'export {};\n' },
          { path: 'run.sh', mode: '100755', type: 'blob', content: '#!/bin/sh\n' },
        ],
      });
      expect(tree.tree.map((e) => `${e.type}:${e.path}`)).toEqual([
        'blob:README.md',
        'blob:run.sh',
        'tree:src',
      ]);
      const { data: deep } = await alice.rest.git.getTree({ ...repo, tree_sha: tree.sha, recursive: 'true' });
      expect(deep.tree.map((e) => e.path)).toEqual([
        'README.md',
        'run.sh',
        'src',
        'src/app.ts',
        'src/data.bin',
      ]);
      const srcTree = tree.tree.find((e) => e.path === 'src')?.sha ?? '';
      const { data: moved } = await alice.rest.git.createTree({
        ...repo,
        base_tree: tree.sha,
        tree: [
          { path: 'lib', mode: '040000', type: 'tree', sha: srcTree },
          { path: 'src', mode: '040000', type: 'tree', sha: null },
        ],
      });
      expect(moved.tree.map((e) => e.path)).toEqual(['README.md', 'lib', 'run.sh']);
      expect(
        await statusOf(
          alice.rest.git.createTree({
            ...repo,
            tree: [{ path: 'x', mode: '100644', type: 'blob', sha: srcTree }],
          }),
        ),
      ).toBe(422);

      const { data: made } = await alice.rest.git.createCommit({
        ...repo,
        message: 'Add sources',
        tree: tree.sha,
        parents: [root],
        author: { name: 'Ann', email: 'ann@example.test', date: '2024-01-02T03:04:05Z' },
      });
      expect(made.author).toMatchObject({ name: 'Ann', date: '2024-01-02T03:04:05Z' });
      const { data: second } = await alice.rest.git.createCommit({
        ...repo,
        message: 'Move sources',
        tree: moved.sha,
        parents: [made.sha],
      });
      await alice.rest.git.updateRef({ ...repo, ref: 'heads/main', sha: second.sha });

      const { data: tag } = await alice.rest.git.createTag({
        ...repo,
        tag: 'v2.0.0',
        message: 'Release 2\n',
        object: second.sha,
        type: 'commit',
        tagger: { name: 'Rel', email: 'rel@example.test', date: '2024-02-03T04:05:06Z' },
      });
      await alice.rest.git.createRef({ ...repo, ref: 'refs/tags/v2.0.0', sha: tag.sha });
      const { data: readTag } = await alice.rest.git.getTag({ ...repo, tag_sha: tag.sha });
      expect(readTag).toMatchObject({ tag: 'v2.0.0', object: { sha: second.sha, type: 'commit' } });
      const { data: tagRef } = await alice.rest.git.getRef({ ...repo, ref: 'tags/v2.0.0' });
      expect(tagRef.object.type).toBe('tag');
      expect((await alice.rest.repos.listTags(repo)).data[0]?.commit.sha).toBe(second.sha);

      const { data: history } = await alice.rest.repos.listCommits({ ...repo, per_page: 2 });
      expect(history.map((c) => c.commit.message)).toEqual(['Move sources', 'Add sources']);
      const { data: page2 } = await alice.rest.repos.listCommits({ ...repo, per_page: 2, page: 2 });
      expect(page2.map((c) => c.sha)).toEqual([root]);
      const { data: touched } = await alice.rest.repos.listCommits({ ...repo, path: 'src/app.ts' });
      expect(touched.map((c) => c.sha)).toEqual([second.sha, made.sha]);
      const { data: fromRoot } = await alice.rest.repos.listCommits({ ...repo, sha: root });
      expect(fromRoot).toHaveLength(1);

      const { data: one } = await alice.rest.repos.getCommit({ ...repo, ref: made.sha });
      expect(one.files?.map((f) => [f.filename, f.status]).sort()).toEqual([
        ['run.sh', 'added'],
        ['src/app.ts', 'added'],
        ['src/data.bin', 'added'],
      ]);
      expect(one.stats).toMatchObject({ additions: 2, deletions: 0 });
      expect((await alice.rest.repos.getCommit({ ...repo, ref: 'v2.0.0' })).data.sha).toBe(second.sha);

      const { data: ahead } = await alice.rest.repos.compareCommitsWithBasehead({
        ...repo,
        basehead: `${root}...main`,
      });
      expect(ahead).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2 });
      expect(ahead.merge_base_commit.sha).toBe(root);
      expect(ahead.commits.map((c) => c.sha)).toEqual([made.sha, second.sha]);
      expect(ahead.files?.map((f) => f.filename).sort()).toEqual(['lib/app.ts', 'lib/data.bin', 'run.sh']);
      const { data: behind } = await alice.rest.repos.compareCommitsWithBasehead({
        ...repo,
        basehead: `main...${root}`,
      });
      expect(behind).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 2 });
      const { data: side } = await alice.rest.git.createCommit({
        ...repo,
        message: 'Side',
        tree: rootCommit.tree.sha,
        parents: [root],
      });
      const { data: diverged } = await alice.rest.repos.compareCommitsWithBasehead({
        ...repo,
        basehead: `main...${side.sha}`,
      });
      expect(diverged).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 2 });
      const { data: same } = await alice.rest.repos.compareCommitsWithBasehead({
        ...repo,
        basehead: 'main...alice:main',
      });
      expect(same.status).toBe('identical');
      expect(await statusOf(alice.rest.repos.getCommit({ ...repo, ref: 'nope' }))).toBe(422);
      expect(await statusOf(alice.rest.git.getBlob({ ...repo, file_sha: root }))).toBe(404);
    });
  });
}
