/** The real git CLI, for tests that clone from and push to the sandbox forge over HTTP. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitClient {
  dir: string;
  run(...args: string[]): Promise<string>;
  commitFile(path: string, content: string, message: string): Promise<string>;
}

export function gitEnvFor(name: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: `${name}@example.test`,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: `${name}@example.test`,
  };
}

export function git(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env }, (error, stdout, stderr) =>
      error ? reject(new Error(`git ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout.trim()),
    );
  });
}

/** Clones `url` (credentials embedded) into a fresh directory as `name`. */
export async function cloneAs(name: string, url: string): Promise<GitClient> {
  const env = gitEnvFor(name);
  const dir = join(mkdtempSync(join(tmpdir(), `affineur-forge-${name}-`)), 'work');
  await git(tmpdir(), env, ['clone', '--quiet', url, dir]);
  const run = (...args: string[]) => git(dir, env, args);
  const { writeFile, mkdir } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  return {
    dir,
    run,
    async commitFile(path, content, message) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
      await run('add', path);
      await run('commit', '--quiet', '-m', message);
      return run('rev-parse', 'HEAD');
    },
  };
}

export function credentialUrl(gitUrl: string, token: string, path: string): string {
  const url = new URL(`${gitUrl}/${path}`);
  url.username = 'x-access-token';
  url.password = token;
  return url.toString();
}
