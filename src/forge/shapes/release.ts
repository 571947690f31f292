/** GitHub's `release` shape, and the narrower one its `release` webhook carries. */
import type { ForgeUrls } from '../forge-context.js';
import type { AccountRecord, ReleaseRecord, RepoRecord } from '../state/model.js';
import { nodeId } from '../state/timestamp.js';
import { simpleUser } from './user.js';

export function release(urls: ForgeUrls, repo: RepoRecord, record: ReleaseRecord, author: AccountRecord) {
  const api = `${urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const web = `${urls.web}/${repo.ownerLogin}/${repo.name}`;
  const tag = encodeURIComponent(record.tagName);
  return {
    url: `${api}/releases/${record.id}`,
    assets_url: `${api}/releases/${record.id}/assets`,
    upload_url: `${urls.web}/api/uploads/repos/${repo.ownerLogin}/${repo.name}/releases/${record.id}/assets{?name,label}`,
    html_url: record.draft ? `${web}/releases/tag/untagged-${record.id}` : `${web}/releases/tag/${tag}`,
    id: record.id,
    node_id: nodeId('Release', record.id),
    tag_name: record.tagName,
    target_commitish: record.targetCommitish,
    name: record.name,
    draft: record.draft,
    author: simpleUser(urls, author),
    prerelease: record.prerelease,
    created_at: record.createdAt,
    published_at: record.publishedAt,
    assets: [] as unknown[],
    tarball_url: `${api}/tarball/${tag}`,
    zipball_url: `${api}/zipball/${tag}`,
    body: record.body,
  };
}

/** The webhook schema allows no field beyond these. */
export function webhookRelease(shape: ReturnType<typeof release>) {
  return { ...shape, body: shape.body ?? '', name: shape.name ?? '' };
}
