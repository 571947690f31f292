/** GitHub's repository content shapes: `content-file`, directory entries, `file-commit`. */
import type { ForgeUrls } from '../forge-context.js';
import type { TreeEntry } from '../git/bare-repository.js';
import type { RepoRecord } from '../state/model.js';

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** `file`, `dir`, `symlink` or `submodule`, from a tree entry's type and mode. */
export function contentType(entry: TreeEntry): 'file' | 'dir' | 'symlink' | 'submodule' {
  if (entry.type === 'tree') return 'dir';
  if (entry.type === 'commit') return 'submodule';
  return entry.mode === '120000' ? 'symlink' : 'file';
}

/** The fields every content item has (a directory listing entry is exactly this). */
export function contentItem(urls: ForgeUrls, repo: RepoRecord, ref: string, entry: TreeEntry) {
  const api = `${urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const web = `${urls.web}/${repo.ownerLogin}/${repo.name}`;
  const type = contentType(entry);
  const path = encodePath(entry.path);
  const self = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const gitUrl =
    type === 'dir'
      ? `${api}/git/trees/${entry.sha}`
      : type === 'submodule'
        ? null
        : `${api}/git/blobs/${entry.sha}`;
  const html = `${web}/${type === 'dir' ? 'tree' : 'blob'}/${encodeURIComponent(ref)}/${path}`;
  return {
    // GitHub lists submodules as files in directory listings, for backwards compatibility.
    type: type === 'submodule' ? 'file' : type,
    size: entry.size ?? 0,
    name: entry.path.split('/').at(-1) ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: gitUrl,
    html_url: html,
    download_url:
      type === 'file' || type === 'symlink' ? `${web}/raw/${encodeURIComponent(ref)}/${path}` : null,
    _links: { self, git: gitUrl, html },
  };
}

/** GitHub wraps base64 content at 60 characters, with a trailing newline. */
export function wrappedBase64(bytes: Buffer): string {
  const flat = bytes.toString('base64');
  if (flat === '') return '';
  return `${flat.match(/.{1,60}/g)?.join('\n') ?? ''}\n`;
}

export function contentFile(urls: ForgeUrls, repo: RepoRecord, ref: string, entry: TreeEntry, bytes: Buffer) {
  const item = contentItem(urls, repo, ref, entry);
  const type = contentType(entry);
  if (type === 'symlink') return { ...item, type: 'symlink', target: bytes.toString('utf8') };
  return { ...item, type: 'file', encoding: 'base64', content: wrappedBase64(bytes) };
}

export function submoduleContent(urls: ForgeUrls, repo: RepoRecord, ref: string, entry: TreeEntry) {
  return { ...contentItem(urls, repo, ref, entry), type: 'submodule', submodule_git_url: '' };
}
