import type { PullRequestFacts } from '../../../../bot/merge/pull-request-facts.js';

/** The fixture's head; its approvals were given on it. */
export const fixtureHeadSha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** A PR that satisfies every default condition; tests change one thing at a time. */
export function readyPullRequest(overrides: Partial<PullRequestFacts> = {}): PullRequestFacts {
  return {
    number: 42,
    title: 'feat: add a cheese middleware',
    body: 'Adds it.\n\nFixes #7',
    author: 'alice',
    state: 'open',
    merged: false,
    draft: false,
    labels: ['status/3-needs-merge', 'kind/enhancement'],
    milestone: 'v3.7',
    baseRef: 'main',
    defaultBranch: 'main',
    headRef: 'feature/cheese',
    headSha: fixtureHeadSha,
    sameRepo: true,
    maintainerCanModify: false,
    mergeable: true,
    behindBase: false,
    hasMergeCommits: false,
    coAuthors: [],
    reviews: [
      { user: 'bob', state: 'APPROVED', submittedAt: '2026-01-01T10:00:00Z', commitId: fixtureHeadSha },
      { user: 'carol', state: 'APPROVED', submittedAt: '2026-01-01T11:00:00Z', commitId: fixtureHeadSha },
      { user: 'dave', state: 'APPROVED', submittedAt: '2026-01-01T12:00:00Z', commitId: fixtureHeadSha },
    ],
    checkRuns: [{ name: 'test', status: 'completed', conclusion: 'success' }],
    statuses: [{ context: 'ci/build', state: 'success' }],
    protection: undefined,
    ...overrides,
  };
}
