/**
 * Real webhook payloads (from @octokit/webhooks-examples) pointed at forge objects: only the
 * repository, installation, numbers, refs, labels and authors are changed, the rest is
 * exactly what GitHub sent.
 */
import { webhookExample } from '../app/webhook-examples.js';

export interface ForgeRepo {
  owner: string;
  repo: string;
  installationId: number;
}

interface Labelled {
  labels?: { name: string }[];
}

/** An example payload of `name.action`, addressed to a forge repository and installation. */
export function examplePayload(
  name: string,
  action: string | undefined,
  target: ForgeRepo,
  where?: (example: Record<string, unknown>) => boolean,
) {
  const payload = webhookExample(name, action, where) as Record<string, unknown> & {
    repository: Record<string, unknown> & { owner: Record<string, unknown> };
  };
  payload.repository.name = target.repo;
  payload.repository.full_name = `${target.owner}/${target.repo}`;
  payload.repository.owner.login = target.owner;
  payload.repository.default_branch = 'main';
  payload.installation = { id: target.installationId, node_id: `Installation${target.installationId}` };
  return payload;
}

export interface IssueFacts {
  number: number;
  author: string;
  labels?: string[];
  authorAssociation?: string;
  title?: string;
}

function asIssue(example: Record<string, unknown>, facts: IssueFacts) {
  const user = example.user as Record<string, unknown>;
  user.login = facts.author;
  user.type = 'User';
  example.number = facts.number;
  example.author_association = facts.authorAssociation ?? 'OWNER';
  (example as Labelled).labels = (facts.labels ?? []).map((name) => ({ name, color: 'ededed' }));
  if (facts.title !== undefined) example.title = facts.title;
  return example;
}

export function issueOpened(target: ForgeRepo, facts: IssueFacts) {
  const payload = examplePayload('issues', 'opened', target);
  asIssue(payload.issue as Record<string, unknown>, facts);
  return payload;
}

export interface PullFacts extends IssueFacts {
  baseRef?: string;
  headSha: string;
  milestone?: number;
}

function asPull(example: Record<string, unknown>, facts: PullFacts) {
  asIssue(example, facts);
  (example.base as Record<string, unknown>).ref = facts.baseRef ?? 'main';
  (example.head as Record<string, unknown>).sha = facts.headSha;
  example.milestone = facts.milestone === undefined ? null : { number: facts.milestone };
  return example;
}

export function pullRequestEvent(
  action: 'opened' | 'synchronize' | 'reopened',
  target: ForgeRepo,
  facts: PullFacts,
) {
  const payload = examplePayload('pull_request', action, target);
  payload.number = facts.number;
  asPull(payload.pull_request as Record<string, unknown>, facts);
  return payload;
}

export function reviewSubmitted(
  target: ForgeRepo,
  facts: PullFacts,
  state: 'approved' | 'changes_requested' | 'commented',
  reviewer: string,
) {
  const payload = examplePayload('pull_request_review', 'submitted', target);
  asPull(payload.pull_request as Record<string, unknown>, facts);
  const review = payload.review as Record<string, unknown>;
  review.state = state;
  (review.user as Record<string, unknown>).login = reviewer;
  return payload;
}

export function commentCreated(target: ForgeRepo, issue: IssueFacts, commenter: string, body: string) {
  const payload = examplePayload('issue_comment', 'created', target);
  asIssue(payload.issue as Record<string, unknown>, issue);
  const comment = payload.comment as Record<string, unknown>;
  comment.body = body;
  const user = comment.user as Record<string, unknown>;
  user.login = commenter;
  user.type = 'User';
  return payload;
}

/** A push to the default branch whose head commit changed `paths`. */
export function pushTouching(target: ForgeRepo, paths: string[]) {
  const payload = examplePayload('push', undefined, target, (e) => (e.commits as unknown[]).length > 0);
  payload.ref = 'refs/heads/main';
  const [commit] = payload.commits as Record<string, unknown>[];
  payload.commits = [{ ...commit, added: [], removed: [], modified: paths }];
  return payload;
}

export function installationCreated(target: ForgeRepo) {
  const payload = webhookExample('installation', 'created');
  (payload.installation as Record<string, unknown>).id = target.installationId;
  payload.repositories = [{ full_name: `${target.owner}/${target.repo}`, name: target.repo }];
  return payload;
}

export function repositoriesAdded(target: ForgeRepo) {
  const payload = webhookExample('installation_repositories', 'added');
  (payload.installation as Record<string, unknown>).id = target.installationId;
  payload.repositories_added = [{ full_name: `${target.owner}/${target.repo}`, name: target.repo }];
  return payload;
}
