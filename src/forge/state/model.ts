/**
 * The forge's persisted state: plain JSON records, one array per kind. GitHub's response shapes
 * are derived from these by the presenters in `../shapes/`, so a record holds only facts (who,
 * what, when), never URLs or counts that can be computed.
 */

export type AccountType = 'User' | 'Organization' | 'Bot';

/** Repository roles, weakest first; `permissionRank` orders them. */
export type RepoRole = 'read' | 'triage' | 'write' | 'maintain' | 'admin';

export interface AccountRecord {
  id: number;
  login: string;
  type: AccountType;
  siteAdmin: boolean;
  name: string | null;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  /** Organizations only: members and their role. */
  members?: { login: string; role: 'admin' | 'member' }[];
}

export interface TokenRecord {
  id: number;
  /** sha256 of the token; the token itself is never stored. */
  hash: string;
  lastEight: string;
  kind: 'user' | 'installation';
  login?: string;
  installationId?: number;
  /** Installation tokens may be narrowed to some repositories. */
  repositoryIds?: number[];
  scopes: string[];
  note: string | null;
  createdAt: string;
  expiresAt: string | null;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface MilestoneRecord {
  id: number;
  number: number;
  title: string;
  description: string | null;
  state: 'open' | 'closed';
  dueOn: string | null;
  creatorLogin: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface ProtectionRecord {
  requiredStatusChecks: { strict: boolean; contexts: string[] } | null;
  requiredApprovingReviewCount: number | null;
  dismissStaleReviews: boolean;
  enforceAdmins: boolean;
  /** Absent in state files written before these existed: false. */
  allowForcePushes?: boolean;
  allowDeletions?: boolean;
}

/** What the per-repo CI runner does after each push; see `../ci/ci-runner.ts`. */
export interface CiRule {
  /** Report as a commit status (context = name) or a check run (name). */
  report: 'status' | 'check';
  name: string;
  /** `success` always passes; `message` fails when the commit message contains `[fail]`. */
  mode: 'success' | 'message' | 'command';
  command?: string;
  timeoutMs?: number;
}

export interface RepoRecord {
  id: number;
  ownerLogin: string;
  name: string;
  private: boolean;
  description: string | null;
  homepage: string | null;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string | null;
  parentId: number | null;
  hasIssues: boolean;
  allowMergeCommit: boolean;
  allowSquashMerge: boolean;
  allowRebaseMerge: boolean;
  deleteBranchOnMerge: boolean;
  collaborators: { login: string; role: RepoRole }[];
  /** Issues and pull requests share one number sequence, as on GitHub. */
  nextNumber: number;
  labels: LabelRecord[];
  milestones: MilestoneRecord[];
  protections: Record<string, ProtectionRecord>;
  ciRule: CiRule | null;
}

export interface PullFields {
  headRepoId: number;
  headRef: string;
  headSha: string;
  baseRef: string;
  draft: boolean;
  maintainerCanModify: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedByLogin: string | null;
  mergeCommitSha: string | null;
  /** Counts fixed when the PR closed: after a merge the head is in the base and git can no longer tell. */
  frozen: PullCounts | null;
}

export interface PullCounts {
  baseSha: string;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
}

export interface IssueRecord {
  id: number;
  /** Pull requests have a second id, as on GitHub (the issue id and the pull id differ). */
  pullId: number | null;
  repoId: number;
  number: number;
  title: string;
  body: string | null;
  userLogin: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  labelIds: number[];
  assignees: string[];
  milestoneId: number | null;
  locked: boolean;
  lockReason: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedByLogin: string | null;
  pull: PullFields | null;
}

export interface CommentRecord {
  id: number;
  repoId: number;
  issueNumber: number;
  userLogin: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  appId: number | null;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface ReviewRecord {
  id: number;
  repoId: number;
  number: number;
  userLogin: string;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string | null;
}

/**
 * An issue or PR timeline event. Only label changes are kept: they are what a bot reads to
 * learn who added a label when it did not see the `labeled` webhook.
 */
export interface IssueEventRecord {
  id: number;
  repoId: number;
  issueNumber: number;
  event: 'labeled' | 'unlabeled';
  actorLogin: string;
  labelName: string;
  labelColor: string;
  createdAt: string;
}

export type StatusState = 'error' | 'failure' | 'pending' | 'success';

export interface StatusRecord {
  id: number;
  repoId: number;
  sha: string;
  state: StatusState;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creatorLogin: string;
  createdAt: string;
  updatedAt: string;
}

export type CheckStatus = 'queued' | 'in_progress' | 'completed';
export type CheckConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | 'stale';

export interface CheckSuiteRecord {
  id: number;
  repoId: number;
  appId: number;
  headSha: string;
  headBranch: string | null;
  before: string | null;
  after: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CheckRunRecord {
  id: number;
  repoId: number;
  suiteId: number;
  appId: number;
  headSha: string;
  name: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  startedAt: string | null;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
}

export interface ReleaseRecord {
  id: number;
  repoId: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  authorLogin: string;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
}

export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  ownerLogin: string;
  publicKeyPem: string;
  webhookSecret: string;
  webhookUrl: string | null;
  events: string[];
  permissions: Record<string, 'read' | 'write'>;
  createdAt: string;
  updatedAt: string;
  /** From a manifest (the forge's own app has none): what `GET /apps/{slug}` shows. */
  description?: string | null;
  externalUrl?: string;
  /** A private app is seen and installed by its owner only. */
  public?: boolean;
  /** Where the install page sends the browser afterwards (the manifest's `setup_url`). */
  setupUrl?: string | null;
  /**
   * The manifest flow's one-time code, hashed like tokens: `POST /app-manifests/{code}/conversions`
   * trades it once for the app's private key, which the forge then forgets.
   */
  manifestCode?: { hash: string; expiresAt: string } | null;
}

export interface InstallationRecord {
  id: number;
  appId: number;
  accountLogin: string;
  /** `all`: every repository of the forge (the sandbox installs its app everywhere). */
  repositorySelection: 'all' | 'selected';
  repositoryIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryRecord {
  id: number;
  guid: string;
  appId: number;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  url: string;
  deliveredAt: string;
  redelivery: boolean;
  duration: number;
  status: string;
  statusCode: number;
  attempts: number;
  request: { headers: Record<string, string>; payload: unknown };
  response: { headers: Record<string, string>; payload: string | null };
}

export interface ForgeState {
  version: 1;
  nextId: number;
  accounts: AccountRecord[];
  tokens: TokenRecord[];
  repos: RepoRecord[];
  issues: IssueRecord[];
  comments: CommentRecord[];
  reviews: ReviewRecord[];
  statuses: StatusRecord[];
  checkSuites: CheckSuiteRecord[];
  checkRuns: CheckRunRecord[];
  releases: ReleaseRecord[];
  apps: AppRecord[];
  installations: InstallationRecord[];
  deliveries: DeliveryRecord[];
  issueEvents: IssueEventRecord[];
}

export function emptyState(): ForgeState {
  return {
    version: 1,
    nextId: 1,
    accounts: [],
    tokens: [],
    repos: [],
    issues: [],
    comments: [],
    reviews: [],
    statuses: [],
    checkSuites: [],
    checkRuns: [],
    releases: [],
    apps: [],
    installations: [],
    deliveries: [],
    issueEvents: [],
  };
}

const roleOrder: readonly RepoRole[] = ['read', 'triage', 'write', 'maintain', 'admin'];

/** Orders roles so a check can say "at least write". */
export function permissionRank(role: RepoRole | 'none'): number {
  return role === 'none' ? -1 : roleOrder.indexOf(role);
}
