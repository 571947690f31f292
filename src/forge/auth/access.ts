/**
 * What a principal may do with a repository. Pure: takes the state and returns a role, so the
 * rules read in one place — owners and site admins are admins, org admins administer the
 * org's repositories, collaborators have their role, installations get `write` on the
 * repositories they cover, and anyone may read a public repository.
 */
import type { ForgeState, RepoRecord, RepoRole } from '../state/model.js';
import { accountByLogin, installationById, installationCovers } from '../state/queries.js';
import type { Principal } from './principal.js';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function roleOn(state: ForgeState, principal: Principal, repo: RepoRecord): RepoRole | 'none' {
  const publicFloor: RepoRole | 'none' = repo.private ? 'none' : 'read';
  if (principal.kind === 'anonymous' || principal.kind === 'app') return publicFloor;
  if (principal.kind === 'installation') {
    const installation = installationById(state, principal.installationId);
    if (!installation || !installationCovers(installation, repo)) return publicFloor;
    if (principal.repositoryIds && !principal.repositoryIds.includes(repo.id)) return publicFloor;
    return 'write';
  }
  const user = accountByLogin(state, principal.login);
  if (!user) return 'none';
  if (user.siteAdmin || same(repo.ownerLogin, user.login)) return 'admin';
  const owner = accountByLogin(state, repo.ownerLogin);
  const membership = owner?.members?.find((m) => same(m.login, user.login));
  if (membership?.role === 'admin') return 'admin';
  const collaborator = repo.collaborators.find((c) => same(c.login, user.login));
  if (collaborator) return collaborator.role;
  if (membership) return 'read';
  return publicFloor;
}

/** The login a principal acts as in records (comments, reviews, statuses). */
export function actingLogin(state: ForgeState, principal: Principal): string | null {
  if (principal.kind === 'user') return principal.login;
  if (principal.kind === 'installation') {
    const installation = installationById(state, principal.installationId);
    const app = state.apps.find((a) => a.id === installation?.appId);
    return app ? `${app.slug}[bot]` : null;
  }
  return null;
}
