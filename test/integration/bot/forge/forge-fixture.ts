/**
 * A sandbox forge for the bot's end-to-end suites: the forge on port 0, users with tokens, and
 * helpers to create repositories and push real commits over HTTP. The bot under test talks to
 * it as the forge's registered GitHub App; nothing here reaches the bot's modules.
 */
import { Octokit } from '@octokit/rest';
import { type RunningForge, startForge } from '../../../../src/forge/start-forge.js';
import { cloneAs, credentialUrl, type GitClient } from '../../../support/forge-git.js';

export interface ForgeFixture {
  forge: RunningForge;
  admin: Octokit;
  /** An Octokit acting as a user created by `addUser`. */
  as(login: string): Octokit;
  tokenOf(login: string): string;
  addUser(login: string): Promise<void>;
  /** Creates `owner/name` (initialised with a README) as `owner`. */
  createRepo(owner: string, name: string): Promise<void>;
  /** Creates or replaces a file on the default branch through the contents API, as `owner`. */
  writeFile(owner: string, name: string, path: string, content: string): Promise<void>;
  /** Clones `owner/name` as `login` over HTTP. */
  clone(login: string, owner: string, name: string): Promise<GitClient>;
  close(): Promise<void>;
}

export async function startForgeFixture(users: readonly string[] = []): Promise<ForgeFixture> {
  const forge = await startForge({ webhookRetryDelaysMs: [100, 500] });
  const admin = new Octokit({ baseUrl: forge.apiUrl, auth: forge.adminToken, request: { retries: 0 } });
  const tokens = new Map<string, string>([[forge.adminLogin, forge.adminToken]]);
  const tokenOf = (login: string) => {
    const token = tokens.get(login);
    if (!token) throw new Error(`no forge user ${login}; call addUser first`);
    return token;
  };
  const fixture: ForgeFixture = {
    forge,
    admin,
    tokenOf,
    as: (login) => new Octokit({ baseUrl: forge.apiUrl, auth: tokenOf(login), request: { retries: 0 } }),
    async addUser(login) {
      await admin.request('POST /admin/users', { login, email: `${login}@example.test` });
      const { data } = await admin.request('POST /admin/users/{username}/authorizations', {
        username: login,
        scopes: ['repo'],
      });
      tokens.set(login, (data as { token: string }).token);
    },
    async createRepo(owner, name) {
      await fixture.as(owner).rest.repos.createForAuthenticatedUser({ name, auto_init: true });
    },
    async writeFile(owner, name, path, content) {
      const octokit = fixture.as(owner);
      let sha: string | undefined;
      try {
        const { data } = await octokit.rest.repos.getContent({ owner, repo: name, path });
        if (!Array.isArray(data)) sha = data.sha;
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error;
      }
      await octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo: name,
        path,
        message: `Update ${path}`,
        content: Buffer.from(content).toString('base64'),
        ...(sha ? { sha } : {}),
      });
      await forge.idle();
    },
    clone: (login, owner, name) =>
      cloneAs(login, credentialUrl(forge.gitUrl, tokenOf(login), `${owner}/${name}.git`)),
    close: () => forge.close(),
  };
  for (const login of users) await fixture.addUser(login);
  return fixture;
}
