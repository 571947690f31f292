/** GitHub's user shapes: `simple-user` everywhere, `private-user` for `GET /user`. */
import type { ForgeUrls } from '../forge-context.js';
import type { AccountRecord } from '../state/model.js';
import { nodeId } from '../state/timestamp.js';

export function simpleUser(urls: ForgeUrls, account: AccountRecord) {
  // Bot logins end in `[bot]`; GitHub percent-encodes them in URLs.
  const api = `${urls.api}/users/${encodeURIComponent(account.login)}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type, account.id),
    avatar_url: `${urls.web}/avatars/u/${account.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url:
      account.type === 'Bot'
        ? `${urls.web}/apps/${account.login.replace(/\[bot\]$/, '')}`
        : `${urls.web}/${account.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    site_admin: account.siteAdmin,
  };
}

export function fullUser(urls: ForgeUrls, account: AccountRecord, publicRepos: number) {
  return {
    ...simpleUser(urls, account),
    name: account.name,
    company: null,
    blog: '',
    location: null,
    email: account.email,
    hireable: null,
    bio: null,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: account.createdAt,
    updated_at: account.updatedAt,
  };
}

export function privateUser(
  urls: ForgeUrls,
  account: AccountRecord,
  publicRepos: number,
  privateRepos: number,
) {
  return {
    ...fullUser(urls, account, publicRepos),
    private_gists: 0,
    total_private_repos: privateRepos,
    owned_private_repos: privateRepos,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: false,
  };
}

export function organizationSimple(urls: ForgeUrls, org: AccountRecord) {
  const api = `${urls.api}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId('Organization', org.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${urls.web}/avatars/u/${org.id}?v=4`,
    description: null,
  };
}

export function organizationFull(urls: ForgeUrls, org: AccountRecord, publicRepos: number) {
  return {
    ...organizationSimple(urls, org),
    // GitHub documents the name as a string; an org created without a profile name shows its login.
    name: org.name ?? org.login,
    html_url: `${urls.web}/${org.login}`,
    has_organization_projects: false,
    has_repository_projects: false,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    type: 'Organization',
    created_at: org.createdAt,
    updated_at: org.updatedAt,
    archived_at: null,
  };
}
