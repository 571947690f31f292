/** Lookups over `ForgeState`. Each returns undefined when absent; routes decide what that means. */
import type {
  AccountRecord,
  AppRecord,
  ForgeState,
  InstallationRecord,
  IssueRecord,
  LabelRecord,
  RepoRecord,
} from './model.js';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function accountByLogin(state: ForgeState, login: string): AccountRecord | undefined {
  return state.accounts.find((a) => same(a.login, login));
}

export function accountOrThrow(state: ForgeState, login: string): AccountRecord {
  const account = accountByLogin(state, login);
  if (!account) throw new Error(`account ${login} vanished from the forge state`);
  return account;
}

export function repoByName(state: ForgeState, owner: string, name: string): RepoRecord | undefined {
  return state.repos.find((r) => same(r.ownerLogin, owner) && same(r.name, name.replace(/\.git$/, '')));
}

export function repoById(state: ForgeState, id: number): RepoRecord | undefined {
  return state.repos.find((r) => r.id === id);
}

export function repoByIdOrThrow(state: ForgeState, id: number): RepoRecord {
  const repo = repoById(state, id);
  if (!repo) throw new Error(`repository ${id} vanished from the forge state`);
  return repo;
}

export function issueByNumber(state: ForgeState, repoId: number, number: number): IssueRecord | undefined {
  return state.issues.find((i) => i.repoId === repoId && i.number === number);
}

export function labelByName(repo: RepoRecord, name: string): LabelRecord | undefined {
  return repo.labels.find((l) => same(l.name, name));
}

export function appById(state: ForgeState, id: number): AppRecord | undefined {
  return state.apps.find((a) => a.id === id);
}

export function installationById(state: ForgeState, id: number): InstallationRecord | undefined {
  return state.installations.find((i) => i.id === id);
}

/** Whether an installation covers a repository. */
export function installationCovers(installation: InstallationRecord, repo: RepoRecord): boolean {
  return installation.repositorySelection === 'all' || installation.repositoryIds.includes(repo.id);
}

/** The installations of every app that covers `repo` (they receive its webhooks). */
export function installationsFor(state: ForgeState, repo: RepoRecord): InstallationRecord[] {
  return state.installations.filter((i) => installationCovers(i, repo));
}

/** The open pull requests whose head is `ref` of `headRepo`. */
export function openPullsWithHead(state: ForgeState, headRepoId: number, ref: string): IssueRecord[] {
  return state.issues.filter(
    (i) => i.pull && i.state === 'open' && i.pull.headRepoId === headRepoId && i.pull.headRef === ref,
  );
}
