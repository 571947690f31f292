/** Real git repositories in temp dirs, driven by the real git CLI, for the release tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitFixture {
  readonly dir: string;
  git(...args: string[]): string;
  /** Commits a change to a file with the given message; returns the new commit's sha. */
  commit(message: string, file?: string): string;
  remove(): void;
}

export function createGitFixture(remote = 'https://github.com/acme/widgets.git'): GitFixture {
  const dir = mkdtempSync(join(tmpdir(), 'affineur-release-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      // Keep the user's global config (signing, hooks, templates) out of the fixture.
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Release Tester');
  git('config', 'user.email', 'tester@example.com');
  git('config', 'commit.gpgsign', 'false');
  git('config', 'tag.gpgsign', 'false');
  git('remote', 'add', 'origin', remote);
  let counter = 0;
  return {
    dir,
    git,
    commit(message, file = 'src.txt') {
      counter++;
      writeFileSync(join(dir, file), `change ${counter}: ${message}\n`, { flag: 'a' });
      git('add', file);
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
