/**
 * The side effects a plan asks for, as data. Dry runs print them; `apply` carries them out
 * through a ReleaseForge, each one idempotently (done already → nothing happens).
 */
export interface FileChange {
  readonly path: string;
  readonly content: string;
}

export type ReleaseAction =
  | {
      readonly kind: 'commit-files';
      /** The branch the commit goes on; created from `base` when missing. */
      readonly branch: string;
      readonly base: string;
      readonly message: string;
      readonly files: readonly FileChange[];
    }
  | {
      readonly kind: 'open-pull-request';
      readonly purpose: 'release' | 'merge-back';
      readonly head: string;
      readonly base: string;
      readonly title: string;
      readonly body: string;
      readonly labels: readonly string[];
    }
  | { readonly kind: 'create-tag'; readonly tag: string; readonly sha: string; readonly message: string }
  | {
      readonly kind: 'create-release';
      readonly tag: string;
      readonly name: string;
      readonly body: string;
      readonly prerelease: boolean;
    }
  | { readonly kind: 'create-branch'; readonly name: string; readonly sha: string };

export function describeAction(action: ReleaseAction): string {
  switch (action.kind) {
    case 'commit-files':
      return `commit ${action.files.map((f) => f.path).join(', ')} on ${action.branch} ("${action.message}")`;
    case 'open-pull-request':
      return `open ${action.purpose} pull request ${action.head} → ${action.base} "${action.title}"${
        action.labels.length > 0 ? ` [${action.labels.join(', ')}]` : ''
      }`;
    case 'create-tag':
      return `create annotated tag ${action.tag} at ${action.sha.slice(0, 12)}`;
    case 'create-release':
      return `create ${action.prerelease ? 'pre-release' : 'release'} "${action.name}" for ${action.tag}`;
    case 'create-branch':
      return `create branch ${action.name} at ${action.sha.slice(0, 12)}`;
  }
}
