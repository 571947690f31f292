/**
 * Which branches the bot may rewrite (rebase and force-push). A rewrite replaces a branch's
 * commits, which is only acceptable for a contributor's own topic branch: never for a release
 * branch (its tags must stay on it), a protected branch, or a branch another open PR is based on
 * (that PR would suddenly contain rewritten copies of its base's commits). Pure.
 */

export interface RewriteFacts {
  headRef: string;
  /** The head lives in the base repository (a fork's branches are the contributor's). */
  sameRepo: boolean;
  defaultBranch: string;
  /** The head branch has branch protection. */
  headProtected: boolean;
  /** Another open PR of the repository uses the head branch as its base. */
  headIsBaseOfOpenPull: boolean;
}

/** Why the head may not be rewritten, or undefined when a rebase and force-push are fine. */
export function rewriteRefusal(facts: RewriteFacts, releaseBranches: readonly string[]): string | undefined {
  if (!facts.sameRepo) return undefined;
  const branch = `\`${facts.headRef}\``;
  if (facts.headRef === facts.defaultBranch) return `${branch} is the default branch`;
  if (isReleaseBranch(facts.headRef, releaseBranches)) return `${branch} is a release branch`;
  if (facts.headProtected) return `${branch} is a protected branch`;
  if (facts.headIsBaseOfOpenPull) return `${branch} is the base of another open pull request`;
  return undefined;
}

/** Whether a branch name matches one of the release-branch globs. */
export function isReleaseBranch(branch: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(branch));
}

const cache = new Map<string, RegExp>();

/** `*` matches within one path segment, `**` across segments, `?` one character. */
function globToRegExp(glob: string): RegExp {
  let regexp = cache.get(glob);
  if (regexp) return regexp;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  regexp = new RegExp(`^${source}$`);
  cache.set(glob, regexp);
  return regexp;
}
