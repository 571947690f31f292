/**
 * The default label taxonomy: Traefik's, so maintainers who know that project feel at home.
 * Labels the bot only uses as markers (merge retries, merge methods) are listed too, so label
 * sync creates them with a description that says who sets them.
 */
export interface LabelDefinition {
  name: string;
  /** Six hex digits, no `#`. */
  color: string;
  description: string;
}

const status = 'ededed';
const kind = 'c5def5';
const contributor = 'fef2c0';
const bot = 'e8e8ee';

export const defaultLabels: LabelDefinition[] = [
  {
    name: 'status/0-needs-triage',
    color: 'e4e669',
    description: 'New issue or PR; a maintainer has not looked yet. [bot]',
  },
  { name: 'status/1-needs-design-review', color: status, description: 'Needs a design review. (PR)' },
  { name: 'status/2-needs-review', color: status, description: 'Needs a code or documentation review. (PR)' },
  {
    name: 'status/3-needs-merge',
    color: '0e8a16',
    description: 'Ready to merge; the merge queue picks it up. (PR)',
  },
  { name: 'status/4-merge-in-progress', color: '0e8a16', description: 'The bot is merging it. [bot]' },
  {
    name: 'status/5-frozen-due-to-age',
    color: status,
    description: 'Closed and locked because it is old. [bot]',
  },
  { name: 'kind/enhancement', color: kind, description: 'A new or improved feature.' },
  { name: 'kind/question', color: kind, description: 'A question. (issue)' },
  { name: 'kind/proposal', color: kind, description: 'A proposal that needs discussion.' },
  { name: 'kind/bug/possible', color: 'f9d0c4', description: 'A possible bug, to analyse. (issue)' },
  { name: 'kind/bug/confirmed', color: 'ee0701', description: 'A confirmed, reproducible bug. (issue)' },
  { name: 'kind/bug/fix', color: 'fbca04', description: 'A bug fix. (PR)' },
  { name: 'area/documentation', color: '1d76db', description: 'Documentation.' },
  { name: 'size/S', color: '009800', description: 'A small change. [bot]' },
  { name: 'size/M', color: 'fbca04', description: 'A medium change. [bot]' },
  { name: 'size/L', color: 'ee0701', description: 'A large change. [bot]' },
  { name: 'priority/P0', color: 'b60205', description: 'Needs hot fix.' },
  { name: 'priority/P1', color: 'd93f0b', description: 'Needs to be fixed in the next release.' },
  { name: 'priority/P2', color: 'fbca04', description: 'Needs to be fixed in the future.' },
  { name: 'priority/P3', color: 'c2e0c6', description: 'Maybe.' },
  {
    name: 'contributor/need-more-information',
    color: contributor,
    description: 'We need more information to analyse this.',
  },
  {
    name: 'contributor/waiting-for-feedback',
    color: contributor,
    description: 'Waiting for feedback from the contributor.',
  },
  {
    name: 'contributor/waiting-for-corrections',
    color: contributor,
    description: 'Changes were requested. (PR) [bot]',
  },
  {
    name: 'contributor/needs-resolve-conflicts',
    color: contributor,
    description: 'Conflicts need resolving. (PR)',
  },
  { name: 'contributor/good-first-issue', color: '7057ff', description: 'A good first contribution.' },
  {
    name: 'bot/need-human-merge',
    color: bot,
    description: 'The merge queue needs a human to merge this PR.',
  },
  { name: 'bot/light-review', color: bot, description: 'Fewer approvals are needed to merge this PR.' },
  { name: 'bot/merge-method-squash', color: bot, description: 'Merge this PR with squash.' },
  { name: 'bot/merge-method-merge', color: bot, description: 'Merge this PR with a merge commit.' },
  { name: 'bot/merge-method-rebase', color: bot, description: 'Merge this PR with rebase.' },
  { name: 'bot/no-merge', color: bot, description: 'The merge queue must not merge this PR.' },
  { name: 'bot/merge-no-rebase', color: bot, description: 'The merge queue must not rebase this PR.' },
];
