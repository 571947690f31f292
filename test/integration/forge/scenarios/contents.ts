import { describe, expect, it } from 'vitest';
import { type ForgeHarness, statusOf } from '../../../support/forge-harness.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

export function contentsTests(h: () => ForgeHarness): void {
  describe('repository contents', () => {
    it('creates, reads (JSON and raw, at a branch or a sha), updates and deletes a file', async () => {
      const { forge, hooks } = h();
      const alice = h().as('alice');
      await alice.rest.repos.createForAuthenticatedUser({ name: 'contents', auto_init: true });
      const repo = { owner: 'alice', repo: 'contents' };
      const path = '.github/affineur.yml';

      const { data: created, status } = await alice.rest.repos.createOrUpdateFileContents({
        ...repo,
        path,
        message: 'Configure the bot',
        content: b64('labels: true\n'),
      });
      expect(status).toBe(201);
      expect(created.commit.message).toBe('Configure the bot');
      const push = await hooks.waitFor((d) => d.event === 'push' && d.payload.after === created.commit.sha);
      expect(push.payload).toMatchObject({ ref: 'refs/heads/main', forced: false });

      const { data: file } = await alice.rest.repos.getContent({ ...repo, path });
      if (Array.isArray(file) || file.type !== 'file') throw new Error('expected a file');
      expect(file).toMatchObject({
        encoding: 'base64',
        path,
        name: 'affineur.yml',
        sha: created.content?.sha,
      });
      expect(Buffer.from(file.content, 'base64').toString()).toBe('labels: true\n');

      const { data: raw } = await alice.rest.repos.getContent({
        ...repo,
        path,
        mediaType: { format: 'raw' },
      });
      expect(raw).toBe('labels: true\n');
      for (const accept of [
        'application/vnd.github.raw',
        'application/vnd.github.raw+json',
        'application/vnd.github.v3.raw',
      ]) {
        const response = await fetch(`${forge.apiUrl}/repos/alice/contents/contents/${path}`, {
          headers: { accept, authorization: `token ${h().tokens.alice}` },
        });
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('labels: true\n');
      }

      expect(
        await statusOf(
          alice.rest.repos.createOrUpdateFileContents({ ...repo, path, message: 'x', content: b64('x') }),
        ),
      ).toBe(422);
      expect(
        await statusOf(
          alice.rest.repos.createOrUpdateFileContents({
            ...repo,
            path,
            message: 'x',
            content: b64('x'),
            sha: '0'.repeat(40),
          }),
        ),
      ).toBe(409);
      const { data: updated, status: updateStatus } = await alice.rest.repos.createOrUpdateFileContents({
        ...repo,
        path,
        message: 'Change the config',
        content: b64('labels: false\n'),
        sha: file.sha,
        author: { name: 'Ann Author', email: 'ann@example.test' },
      });
      expect(updateStatus).toBe(200);
      expect(updated.commit.author).toMatchObject({ name: 'Ann Author', email: 'ann@example.test' });
      expect(updated.commit.parents?.[0]?.sha).toBe(created.commit.sha);

      const atOld = await alice.rest.repos.getContent({ ...repo, path, ref: created.commit.sha ?? '' });
      expect(Buffer.from((atOld.data as { content: string }).content, 'base64').toString()).toBe(
        'labels: true\n',
      );
      const atMain = await alice.rest.repos.getContent({
        ...repo,
        path,
        ref: 'main',
        mediaType: { format: 'raw' },
      });
      expect(atMain.data).toBe('labels: false\n');

      const { data: dir } = await alice.rest.repos.getContent({ ...repo, path: '.github' });
      expect(Array.isArray(dir) && dir.map((e) => [e.name, e.type])).toEqual([['affineur.yml', 'file']]);
      const { data: root } = await alice.rest.repos.getContent({ ...repo, path: '' });
      expect(Array.isArray(root) && root.map((e) => `${e.type}:${e.path}`)).toEqual([
        'dir:.github',
        'file:README.md',
      ]);

      expect(await statusOf(alice.rest.repos.getContent({ ...repo, path: 'nope.txt' }))).toBe(404);
      expect(await statusOf(alice.rest.repos.getContent({ ...repo, path, ref: 'no-such-branch' }))).toBe(404);
      expect(
        await statusOf(
          alice.rest.repos.createOrUpdateFileContents({
            ...repo,
            path: 'x.txt',
            message: 'x',
            content: b64('x'),
            branch: 'no-such-branch',
          }),
        ),
      ).toBe(404);
      expect(
        await statusOf(
          h()
            .as('bob')
            .rest.repos.createOrUpdateFileContents({
              ...repo,
              path: 'x.txt',
              message: 'x',
              content: b64('x'),
            }),
        ),
      ).toBe(403);

      expect(
        await statusOf(
          alice.rest.repos.deleteFile({ ...repo, path, message: 'Drop', sha: created.content?.sha ?? '' }),
        ),
      ).toBe(409);
      const { data: deleted } = await alice.rest.repos.deleteFile({
        ...repo,
        path,
        message: 'Drop the config',
        sha: updated.content?.sha ?? '',
      });
      expect(deleted.content).toBeNull();
      expect(await statusOf(alice.rest.repos.getContent({ ...repo, path }))).toBe(404);
      expect(await statusOf(alice.rest.repos.deleteFile({ ...repo, path, message: 'again', sha: 'x' }))).toBe(
        404,
      );
    });

    it('creates the first commit of an empty repository', async () => {
      const alice = h().as('alice');
      await alice.rest.repos.createForAuthenticatedUser({ name: 'empty' });
      const repo = { owner: 'alice', repo: 'empty' };
      expect(await statusOf(alice.rest.repos.getContent({ ...repo, path: 'README.md' }))).toBe(404);
      const { data } = await alice.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: 'docs/intro.md',
        message: 'First',
        content: b64('# Intro\n'),
      });
      expect(data.commit.parents).toEqual([]);
      const { data: raw } = await alice.rest.repos.getContent({
        ...repo,
        path: 'docs/intro.md',
        mediaType: { format: 'raw' },
      });
      expect(raw).toBe('# Intro\n');
    });
  });
}
