/**
 * A user's working copy for the demo, driven through the real git CLI over the forge's smart
 * HTTP. The token goes in an HTTP header, so it never shows in a URL or a git message.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class GitWorkspace {
  readonly dir: string;
  readonly #auth: string[];
  readonly #identity: string[];

  private constructor(dir: string, login: string, token: string) {
    this.dir = dir;
    this.#auth = [
      '-c',
      `http.extraHeader=Authorization: Basic ${Buffer.from(`${login}:${token}`).toString('base64')}`,
    ];
    this.#identity = ['-c', `user.name=${login}`, '-c', `user.email=${login}@cheese-shop.test`];
  }

  static async clone(url: string, dir: string, login: string, token: string): Promise<GitWorkspace> {
    const workspace = new GitWorkspace(dir, login, token);
    await mkdir(dirname(dir), { recursive: true });
    await run('git', [...workspace.#auth, 'clone', '--quiet', url, dir]);
    return workspace;
  }

  async git(...args: string[]): Promise<string> {
    const { stdout } = await run('git', [...this.#auth, ...this.#identity, ...args], { cwd: this.dir });
    return stdout.trim();
  }

  /** Starts `branch` from the remote's main, commits the files, pushes. */
  async pushBranch(branch: string, files: Record<string, string>, message: string): Promise<void> {
    await this.git('fetch', '--quiet', 'origin');
    await this.git('checkout', '--quiet', '-B', branch, 'origin/main');
    await this.commit(files, message);
    await this.git('push', '--quiet', '--force', 'origin', branch);
  }

  async commit(files: Record<string, string>, message: string): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(this.dir, path)), { recursive: true });
      await writeFile(join(this.dir, path), content);
      await this.git('add', path);
    }
    await this.git('commit', '--quiet', '-m', message);
  }
}
