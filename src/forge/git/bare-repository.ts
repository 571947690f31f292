/**
 * One bare repository on disk and the plumbing the forge needs from it. Everything works on
 * objects and refs directly (no worktree), so merges, squashes and rebases can run while other
 * requests read the same repository.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoSeconds } from '../state/timestamp.js';
import { isFullSha, ObjectAnswers } from './object-answers.js';
import { readRefFile } from './ref-files.js';
import { gitEnv, runGit } from './run-git.js';

/** Shared by every repository (keys start with the repository's path). */
const objectAnswers = new ObjectAnswers(20_000);

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO 8601; defaults to now. */
  date?: string;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: Required<GitIdentity>;
  committer: Required<GitIdentity>;
  message: string;
}

export interface MergeTreeResult {
  clean: boolean;
  tree: string;
  conflicts: string[];
}

export interface ChangedFile {
  filename: string;
  previousFilename?: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed';
  sha: string;
  additions: number;
  deletions: number;
  patch?: string;
}

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  path: string;
  size?: number;
}

export interface TreeChange {
  path: string;
  mode: string;
  /** null removes the path. */
  sha: string | null;
}

const zero = '0000000000000000000000000000000000000000';

const preReceiveHook = `#!/bin/sh
# Written by the affineur sandbox forge: protected branches refuse force pushes (GH006).
status=0
while read old new ref; do
  case " $AFFINEUR_NO_FORCE " in
  *" $ref "*)
    if [ "$old" != ${zero} ] && [ "$new" != ${zero} ] && ! git merge-base --is-ancestor "$old" "$new"; then
      echo "error: GH006: Protected branch update failed for $ref." >&2
      echo "error: Cannot force-push to this protected branch." >&2
      status=1
    fi
    ;;
  esac
done
exit $status
`;
export const zeroSha = zero;

const logFormat = '%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e';

function parseLog(stdout: string): CommitInfo[] {
  return stdout
    .split('\x1e')
    .map((chunk) => chunk.replace(/^\n/, ''))
    .filter((chunk) => chunk.length > 0)
    .map((chunk) => {
      const [
        sha = '',
        tree = '',
        parents = '',
        an = '',
        ae = '',
        ad = '',
        cn = '',
        ce = '',
        cd = '',
        message = '',
      ] = chunk.split('\x00');
      return {
        sha,
        tree,
        parents: parents ? parents.split(' ') : [],
        author: { name: an, email: ae, date: isoSeconds(ad) },
        committer: { name: cn, email: ce, date: isoSeconds(cd) },
        message: message.replace(/\n+$/, ''),
      };
    });
}

export class BareRepository {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** An answer about immutable objects of this repository, asked of git once. */
  private remember<T>(question: string, ask: () => Promise<T>): Promise<T> {
    return objectAnswers.answer(`${this.path}\0${question}`, ask);
  }

  private git(args: readonly string[], options: Omit<Parameters<typeof runGit>[1], 'cwd'> = {}) {
    return runGit(args, { cwd: this.path, ...options });
  }

  async init(defaultBranch: string): Promise<void> {
    await runGit(['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`, this.path], {
      cwd: tmpdir(),
    });
    // http-backend refuses pushes unless told; the forge authorizes pushes itself.
    await this.git(['config', 'http.receivepack', 'true']);
    await this.git(['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  }

  /** Makes this repository a copy of another (a fork): same refs, objects hard-linked. */
  async cloneFrom(sourcePath: string): Promise<void> {
    await runGit(['clone', '--bare', '--quiet', sourcePath, this.path], { cwd: tmpdir() });
    await this.git(['config', 'http.receivepack', 'true']);
    await this.git(['config', 'uploadpack.allowAnySHA1InWant', 'true']);
    await this.git(['config', '--unset', 'remote.origin.url'], { okCodes: [5] });
  }

  /**
   * Installs the pre-receive hook that refuses non-fast-forward updates of the refs listed in
   * `AFFINEUR_NO_FORCE` (branch protection). It must run inside receive-pack, where the pushed
   * objects are readable (in quarantine) but no ref has moved yet.
   */
  async ensurePushHook(): Promise<void> {
    const hook = join(this.path, 'hooks', 'pre-receive');
    if (existsSync(hook)) return;
    await mkdir(join(this.path, 'hooks'), { recursive: true });
    await writeFile(hook, preReceiveHook, { mode: 0o755 });
  }

  async setHead(branch: string): Promise<void> {
    await this.git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }

  /** The commit a revision names, or null when it names none. */
  async resolveCommit(rev: string): Promise<string | null> {
    const result = await this.git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], {
      okCodes: [1, 128],
    });
    return result.code === 0 ? result.stdout.trim() : null;
  }

  /** The tree a revision (tree, commit, tag or ref) names, or null. */
  async resolveTree(rev: string): Promise<string | null> {
    const result = await this.git(['rev-parse', '--verify', '--quiet', `${rev}^{tree}`], {
      okCodes: [1, 128],
    });
    return result.code === 0 ? result.stdout.trim() : null;
  }

  async objectType(sha: string): Promise<string | null> {
    const result = await this.git(['cat-file', '-t', sha], { okCodes: [1, 128] });
    return result.code === 0 ? result.stdout.trim() : null;
  }

  /** Every ref and the object it points to. */
  async refs(prefix = 'refs/'): Promise<Map<string, string>> {
    const result = await this.git(['for-each-ref', '--format=%(objectname) %(refname)', prefix]);
    const refs = new Map<string, string>();
    for (const line of result.stdout.split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) refs.set(line.slice(space + 1), line.slice(0, space));
    }
    return refs;
  }

  /** Whether git accepts `ref` as a full ref name (`git check-ref-format`). */
  async isValidRefName(ref: string): Promise<boolean> {
    if (ref.startsWith('-')) return false;
    const result = await this.git(['check-ref-format', ref], { okCodes: [1, 128] });
    return result.code === 0;
  }

  async readRef(ref: string): Promise<string | null> {
    const direct = await readRefFile(this.path, ref);
    if (direct !== undefined) return direct;
    const result = await this.git(['rev-parse', '--verify', '--quiet', ref], { okCodes: [1, 128] });
    return result.code === 0 ? result.stdout.trim() : null;
  }

  /** Moves a ref; with `expectedOld` it only moves if nobody moved it meanwhile. */
  async updateRef(ref: string, sha: string, expectedOld?: string | null): Promise<boolean> {
    const args = ['update-ref', ref, sha];
    if (expectedOld !== undefined) args.push(expectedOld ?? zero);
    const result = await this.git(args, { okCodes: [1, 128] });
    return result.code === 0;
  }

  /** Deletes a ref; with `expectedOld` only if nobody moved it meanwhile. */
  async deleteRef(ref: string, expectedOld?: string): Promise<boolean> {
    const args = ['update-ref', '-d', ref];
    if (expectedOld !== undefined) args.push(expectedOld);
    const result = await this.git(args, { okCodes: [1, 128] });
    return result.code === 0;
  }

  async commit(sha: string): Promise<CommitInfo | null> {
    if (!isFullSha(sha)) return this.readCommit(sha);
    // A missing commit may arrive with the next push: only found commits are remembered.
    const found = await this.remember(`commit\0${sha}`, async () => {
      const commit = await this.readCommit(sha);
      if (!commit) throw new Error(`no commit ${sha}`);
      return commit;
    }).catch(() => null);
    return found;
  }

  private async readCommit(sha: string): Promise<CommitInfo | null> {
    const result = await this.git(['log', '-1', `--format=${logFormat}`, sha, '--'], { okCodes: [128] });
    return parseLog(result.stdout)[0] ?? null;
  }

  /** Commits reachable from `tip` but not from any of `exclude`, newest first. */
  async log(
    tip: string,
    options: { exclude?: string[]; limit?: number; reverse?: boolean; path?: string } = {},
  ) {
    const args = ['log', `--format=${logFormat}`, '--topo-order'];
    if (options.limit) args.push(`-n${options.limit}`);
    if (options.reverse) args.push('--reverse');
    args.push(tip, ...(options.exclude ?? []).map((e) => `^${e}`), '--');
    if (options.path) args.push(options.path);
    return parseLog((await this.git(args, { env: { GIT_LITERAL_PATHSPECS: '1' } })).stdout);
  }

  /** How many commits are reachable from `tip` but not from `exclude` (one process, no parsing). */
  async countCommits(tip: string, exclude: string): Promise<number> {
    const result = await this.git(['rev-list', '--count', tip, `^${exclude}`, '--']);
    return Number(result.stdout.trim());
  }

  /** Line and file counts of `git diff base head`, without building the patches. */
  async diffStat(
    base: string,
    head: string,
  ): Promise<{ files: number; additions: number; deletions: number }> {
    const fields = (await this.git(['diff', '-M', '--numstat', '-z', base, head])).stdout.split('\0');
    const stat = { files: 0, additions: 0, deletions: 0 };
    for (let i = 0; i < fields.length; i++) {
      const entry = fields[i];
      if (!entry) continue;
      const [add = '0', del = '0', path = ''] = entry.split('\t');
      stat.files += 1;
      // Binary files count "-" lines, which GitHub reports as 0.
      stat.additions += Number(add) || 0;
      stat.deletions += Number(del) || 0;
      if (path === '') i += 2; // a rename: the old and new paths follow as their own fields
    }
    return stat;
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    const result = await this.git(['merge-base', a, b], { okCodes: [1] });
    return result.code === 0 ? result.stdout.trim() : null;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.git(['merge-base', '--is-ancestor', ancestor, descendant], { okCodes: [1] });
    return result.code === 0;
  }

  /** A real three-way merge of two commits into a tree, without touching any ref. */
  mergeTree(ours: string, theirs: string): Promise<MergeTreeResult> {
    if (!isFullSha(ours) || !isFullSha(theirs)) return this.runMergeTree(ours, theirs);
    return this.remember(`merge-tree\0${ours}\0${theirs}`, () => this.runMergeTree(ours, theirs));
  }

  private async runMergeTree(ours: string, theirs: string): Promise<MergeTreeResult> {
    const result = await this.git(['merge-tree', '--write-tree', '--name-only', '-z', ours, theirs], {
      okCodes: [1],
    });
    const [tree = '', ...rest] = result.stdout.split('\0');
    // With conflicts, --name-only lists the conflicted paths after the tree, up to an empty field.
    const conflicts: string[] = [];
    for (const entry of rest) {
      if (entry === '') break;
      conflicts.push(entry);
    }
    return { clean: result.code === 0, tree: tree.trim(), conflicts };
  }

  /**
   * Replays `commit` onto `onto` and returns the resulting tree (a cherry-pick), or null on a
   * conflict. git 2.39's merge-tree has no `--merge-base`, so the merge base is forced by
   * merging two throw-away commits that share the picked commit's parent tree as their root.
   */
  async cherryPickTree(commit: CommitInfo, onto: string): Promise<string | null> {
    const parent = commit.parents[0];
    const baseTree = parent ? (await this.commit(parent))?.tree : await this.emptyTree();
    const ontoTree = (await this.commit(onto))?.tree;
    if (!baseTree || !ontoTree) return null;
    const identity = { name: 'forge', email: 'forge@localhost', date: '2000-01-01T00:00:00Z' };
    const root = await this.commitTree({ tree: baseTree, parents: [], message: 'base', author: identity });
    const ours = await this.commitTree({
      tree: ontoTree,
      parents: [root],
      message: 'ours',
      author: identity,
    });
    const theirs = await this.commitTree({
      tree: commit.tree,
      parents: [root],
      message: 'theirs',
      author: identity,
    });
    const merged = await this.mergeTree(ours, theirs);
    return merged.clean ? merged.tree : null;
  }

  async emptyTree(): Promise<string> {
    return (await this.git(['hash-object', '-t', 'tree', '-w', '--stdin'], { input: '' })).stdout.trim();
  }

  async commitTree(options: {
    tree: string;
    parents: string[];
    message: string;
    author: GitIdentity;
    committer?: GitIdentity;
  }): Promise<string> {
    const committer = options.committer ?? options.author;
    const now = new Date().toISOString();
    const args = ['commit-tree', options.tree, ...options.parents.flatMap((p) => ['-p', p])];
    const result = await this.git(args, {
      input: options.message.endsWith('\n') ? options.message : `${options.message}\n`,
      env: {
        GIT_AUTHOR_NAME: options.author.name,
        GIT_AUTHOR_EMAIL: options.author.email,
        GIT_AUTHOR_DATE: options.author.date ?? now,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
        GIT_COMMITTER_DATE: committer.date ?? now,
      },
    });
    return result.stdout.trim();
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (await this.git(['hash-object', '-w', '--stdin'], { input: content })).stdout.trim();
  }

  /** Raw bytes of a blob (binary-safe, unlike the string-based runner). */
  readBlob(sha: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        ['cat-file', 'blob', sha],
        { cwd: this.path, env: gitEnv(), encoding: 'buffer', maxBuffer: 100 * 1024 * 1024 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    });
  }

  /** Entries of a tree (or of the directory `path` in it); `recursive` walks subtrees. */
  async listTree(
    treeish: string,
    options: { path?: string; recursive?: boolean } = {},
  ): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-z', '--long'];
    if (options.recursive) args.push('-r', '-t');
    args.push(treeish);
    if (options.path) args.push('--', options.path);
    // Literal pathspecs: a file named `:(glob)*` is a file name, not a pattern.
    const result = await this.git(args, { okCodes: [128], env: { GIT_LITERAL_PATHSPECS: '1' } });
    if (result.code !== 0) return [];
    return result.stdout
      .split('\0')
      .filter((line) => line.length > 0)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode = '', type = 'blob', sha = '', size = '-'] = line.slice(0, tab).split(/\s+/);
        return {
          mode,
          type: type as TreeEntry['type'],
          sha,
          path: line.slice(tab + 1),
          ...(size === '-' ? {} : { size: Number(size) }),
        };
      });
  }

  /** The entry at `path` in a commit's tree (the root tree for an empty path), or null. */
  async entryAt(commit: string, path: string): Promise<TreeEntry | null> {
    if (path === '') {
      const info = await this.commit(commit);
      return info ? { mode: '040000', type: 'tree', sha: info.tree, path: '' } : null;
    }
    const entries = await this.listTree(commit, { path });
    return entries.find((e) => e.path === path) ?? null;
  }

  /**
   * Applies path changes to a tree (or to an empty tree) and writes the result. A change whose
   * mode is `040000` grafts a whole tree at its path, replacing whatever was there.
   */
  async buildTree(baseTree: string | null, changes: TreeChange[]): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'affineur-forge-index-'));
    const env = { GIT_INDEX_FILE: join(dir, 'index'), GIT_LITERAL_PATHSPECS: '1' };
    try {
      if (baseTree) await this.git(['read-tree', baseTree], { env });
      else await this.git(['read-tree', '--empty'], { env });
      const grafts = changes.filter((c) => c.mode === '040000' && c.sha !== null);
      // A path becomes a tree, a blob or nothing: first drop what is there (file or directory).
      const replaced = changes.filter((c) => c.sha === null || c.mode === '040000').map((c) => c.path);
      if (replaced.length > 0) {
        const listed = await this.git(['ls-files', '-z', '--', ...replaced.flatMap((p) => [p, `${p}/`])], {
          env,
        });
        const stale = listed.stdout.split('\0').filter((p) => p.length > 0);
        // Mode 0 in --index-info removes an entry, without the work tree --force-remove needs.
        if (stale.length > 0) {
          await this.git(['update-index', '-z', '--index-info'], {
            env,
            input: `${stale.map((p) => `0 ${zero}\t${p}`).join('\0')}\0`,
          });
        }
      }
      const lines = changes
        .filter((c) => c.sha !== null && c.mode !== '040000')
        .map((c) => `${c.mode} ${c.sha}\t${c.path}`);
      // A grafted tree enters the index as its files (`read-tree --prefix` wants a work tree).
      for (const graft of grafts) {
        for (const entry of await this.listTree(graft.sha ?? '', { recursive: true })) {
          if (entry.type !== 'tree') lines.push(`${entry.mode} ${entry.sha}\t${graft.path}/${entry.path}`);
        }
      }
      if (lines.length > 0) {
        await this.git(['update-index', '--add', '--remove', '-z', '--index-info'], {
          env,
          input: `${lines.join('\0')}\0`,
        });
      }
      return (await this.git(['write-tree'], { env })).stdout.trim();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Files changed between two commits, with line counts and patches, as GitHub lists them. */
  async changedFiles(base: string, head: string): Promise<ChangedFile[]> {
    const raw = (await this.git(['diff', '-M', '--raw', '-z', base, head])).stdout.split('\0');
    const numstat = (await this.git(['diff', '-M', '--numstat', '-z', base, head])).stdout.split('\0');
    const patches = splitPatches((await this.git(['diff', '-M', base, head])).stdout);
    const counts: { additions: number; deletions: number }[] = [];
    for (let i = 0; i < numstat.length; i++) {
      const entry = numstat[i];
      if (!entry) continue;
      const [add = '0', del = '0', path = ''] = entry.split('\t');
      counts.push({ additions: Number(add) || 0, deletions: Number(del) || 0 });
      if (path === '') i += 2; // a rename: the old and new paths follow as their own fields
    }
    const files: ChangedFile[] = [];
    for (let i = 0; i < raw.length; i++) {
      const meta = raw[i];
      if (!meta?.startsWith(':')) continue;
      const [, , , newSha = '', kind = 'M'] = meta.slice(1).split(' ');
      const letter = kind[0] ?? 'M';
      let filename = raw[++i] ?? '';
      let previousFilename: string | undefined;
      if (letter === 'R' || letter === 'C') {
        previousFilename = filename;
        filename = raw[++i] ?? '';
      }
      const count = counts[files.length] ?? { additions: 0, deletions: 0 };
      const status =
        letter === 'A'
          ? 'added'
          : letter === 'D'
            ? 'removed'
            : letter === 'R'
              ? 'renamed'
              : letter === 'C'
                ? 'copied'
                : letter === 'T'
                  ? 'changed'
                  : 'modified';
      const patch = patches.get(filename);
      files.push({
        filename,
        ...(previousFilename ? { previousFilename } : {}),
        status,
        sha: letter === 'D' ? zero : newSha,
        ...count,
        ...(patch ? { patch } : {}),
      });
    }
    return files;
  }

  /** Paths a single commit added, removed and modified (against its first parent). */
  commitPaths(sha: string): Promise<{ added: string[]; removed: string[]; modified: string[] }> {
    if (!isFullSha(sha)) return this.readCommitPaths(sha);
    return this.remember(`commit-paths\0${sha}`, () => this.readCommitPaths(sha));
  }

  private async readCommitPaths(
    sha: string,
  ): Promise<{ added: string[]; removed: string[]; modified: string[] }> {
    const result = await this.git([
      'diff-tree',
      '--root',
      '--no-commit-id',
      '--name-status',
      '-r',
      '-z',
      sha,
    ]);
    const fields = result.stdout.split('\0').filter((f) => f.length > 0);
    const paths = { added: [] as string[], removed: [] as string[], modified: [] as string[] };
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const kind = fields[i] ?? '';
      const path = fields[i + 1] ?? '';
      if (kind === 'A') paths.added.push(path);
      else if (kind === 'D') paths.removed.push(path);
      else paths.modified.push(path);
    }
    return paths;
  }

  async createTag(options: {
    tag: string;
    object: string;
    type: string;
    message: string;
    tagger: GitIdentity;
  }): Promise<string> {
    const date = Math.floor(new Date(options.tagger.date ?? Date.now()).getTime() / 1000);
    const body = [
      `object ${options.object}`,
      `type ${options.type}`,
      `tag ${options.tag}`,
      `tagger ${options.tagger.name} <${options.tagger.email}> ${date} +0000`,
      '',
      options.message.endsWith('\n') ? options.message : `${options.message}\n`,
    ].join('\n');
    return (await this.git(['mktag'], { input: body })).stdout.trim();
  }

  async readTag(sha: string) {
    const result = await this.git(['cat-file', 'tag', sha], { okCodes: [128] });
    if (result.code !== 0) return null;
    const [head = '', ...messageParts] = result.stdout.split('\n\n');
    const fields = new Map(
      head.split('\n').map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]),
    );
    const tagger = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(fields.get('tagger') ?? '');
    return {
      sha,
      object: fields.get('object') ?? '',
      type: fields.get('type') ?? 'commit',
      tag: fields.get('tag') ?? '',
      tagger: {
        name: tagger?.[1] ?? '',
        email: tagger?.[2] ?? '',
        date: isoSeconds(new Date(Number(tagger?.[3] ?? 0) * 1000)),
      },
      message: messageParts.join('\n\n'),
    };
  }

  /** Copies a ref from another repository on disk (a fork) into this one. */
  async fetchRef(fromPath: string, sourceRef: string, targetRef: string): Promise<void> {
    await this.git(['fetch', '--quiet', '--no-tags', fromPath, `+${sourceRef}:${targetRef}`]);
  }

  async countObjectsKb(): Promise<number> {
    const result = await this.git(['count-objects', '-v']);
    const match = /size-pack: (\d+)/.exec(result.stdout);
    const loose = /size: (\d+)/.exec(result.stdout);
    return Number(match?.[1] ?? 0) + Number(loose?.[1] ?? 0);
  }
}

function splitPatches(diff: string): Map<string, string> {
  const patches = new Map<string, string>();
  for (const section of diff.split(/^diff --git /m).slice(1)) {
    const target = /^\+\+\+ b\/(.*)$/m.exec(section) ?? /^rename to (.*)$/m.exec(section);
    const hunkStart = section.indexOf('\n@@');
    if (!target?.[1] || hunkStart < 0) continue;
    patches.set(target[1], section.slice(hunkStart + 1).replace(/\n$/, ''));
  }
  return patches;
}
