import { describe, expect, it } from 'vitest';
import { repoConfigSchema } from '../../../../bot/config/repo-config-schema.js';
import { parseHousekeepingArguments } from '../../../../bot/housekeeping/housekeeping-command.js';
import { planLockSearch, planStaleSearches } from '../../../../bot/housekeeping/housekeeping-plan.js';
import { buildWeeklyReport, type ReportPullRequest } from '../../../../bot/housekeeping/weekly-report.js';
import { AffineurError } from '../../../../src/errors/affineur-error.js';

const now = Date.parse('2025-06-30T12:00:00Z');
const config = (housekeeping: unknown) => repoConfigSchema.parse({ housekeeping });

describe('stale and lock searches', () => {
  it('builds bibikoffi’s search: labels, exclusions, creation and update ages', () => {
    const { stale } = config({
      stale: [
        {
          includedLabels: ['kind/question', 'status/0-needs-triage'],
          excludedLabels: ['priority/P0'],
          daysSinceCreation: 30,
          daysSinceUpdate: 60,
          message: 'Closing.',
        },
      ],
    }).housekeeping;
    expect(planStaleSearches('acme/app', stale, now)).toEqual([
      {
        step: 'close',
        rule: 'stale[0]',
        query:
          'repo:acme/app is:open is:issue label:"kind/question" label:"status/0-needs-triage" -label:"priority/P0" created:<2025-05-31T12:00:00Z updated:<2025-05-01T12:00:00Z',
        message: 'Closing.',
        label: undefined,
      },
    ]);
  });

  it('marks first and closes later with closeAfterDays', () => {
    const { stale } = config({
      stale: [{ daysSinceUpdate: 90, closeAfterDays: 14, message: 'Stale.', type: 'all' }],
    }).housekeeping;
    expect(planStaleSearches('acme/app', stale, now).map((s) => [s.step, s.query, s.label])).toEqual([
      ['unmark-stale', 'repo:acme/app is:open label:"bot/stale" updated:>=2025-06-16T12:00:00Z', 'bot/stale'],
      ['close-stale', 'repo:acme/app is:open label:"bot/stale" updated:<2025-06-16T12:00:00Z', undefined],
      ['mark-stale', 'repo:acme/app is:open -label:"bot/stale" updated:<2025-04-01T12:00:00Z', 'bot/stale'],
    ]);
  });

  it('locks unlocked items closed long enough ago, with the frozen label by default', () => {
    const { lock } = config({ lock: { daysSinceClose: 365 } }).housekeeping;
    expect(planLockSearch('acme/app', lock, now)).toEqual({
      step: 'lock',
      rule: 'lock',
      query: 'repo:acme/app is:closed is:unlocked closed:<2024-06-30T12:00:00Z',
      message: undefined,
      label: 'status/5-frozen-due-to-age',
    });
    expect(planLockSearch('acme/app', config({}).housekeeping.lock, now)).toBeUndefined();
  });

  it('refuses a stale rule without its required keys, naming them', () => {
    expect(() => config({ stale: [{ includedLabels: ['x'] }] })).toThrow();
    expect(config({}).housekeeping.maxActionsPerRun).toBe(30);
  });
});

describe('the weekly report', () => {
  const pr = (
    number: number,
    labels: string[],
    over: Partial<ReportPullRequest> = {},
  ): ReportPullRequest => ({
    number,
    title: `PR ${number}`,
    author: 'alice',
    draft: false,
    labels,
    baseRef: 'master',
    updatedAt: '2025-06-29T10:00:00Z',
    ...over,
  });

  it('lists each section, and the merge queue per base branch without the blocked ones', () => {
    const body = buildWeeklyReport(
      [
        pr(1, ['status/2-needs-review']),
        pr(2, ['contributor/waiting-for-corrections']),
        pr(3, ['status/1-needs-design-review']),
        pr(4, ['status/3-needs-merge', 'bot/need-human-merge']),
        pr(5, ['status/3-needs-merge'], { baseRef: 'v2.11' }),
        pr(6, ['status/3-needs-merge']),
        pr(7, ['status/4-merge-in-progress']),
        pr(8, ['status/2-needs-review'], { draft: true }),
      ],
      repoConfigSchema.parse({}),
      now,
    );
    expect(body).toContain('## Waiting for review (1)\n\n- #1 PR 1 (@alice, updated 2025-06-29)');
    expect(body).toContain('## Waiting for corrections (1)\n\n- #2 ');
    expect(body).toContain('## Needs a design review (1)\n\n- #3 ');
    expect(body).toContain('## Ready to merge but blocked (1)\n\n- #4 ');
    expect(body).toContain('## Merge queue (3)\n\n### `master`\n\n- #7 PR 7');
    expect(body).toMatch(/- #7 PR 7[^\n]*\n- #6 PR 6[^\n]*\n\n### `v2.11`\n\n- #5 /);
    expect(body).not.toContain('#8');
  });
});

describe('affineur housekeeping arguments', () => {
  it('reads run, --repo, --dry-run, --max and --json', () => {
    expect(parseHousekeepingArguments(['run', '--repo', 'acme/app', '--dry-run', '--max=5'])).toEqual({
      repo: { owner: 'acme', repo: 'app' },
      dryRun: true,
      max: 5,
      json: false,
    });
  });

  it('refuses a missing repository, a flag that is not run’s, a bad cap, or another subcommand', () => {
    const message = (args: string[]) => {
      try {
        parseHousekeepingArguments(args);
      } catch (error) {
        expect(error).toBeInstanceOf(AffineurError);
        return (error as AffineurError).message;
      }
      throw new Error('expected an error');
    };
    expect(message(['run'])).toContain('--repo OWNER/NAME is required');
    expect(message(['run', '--repo', 'acme/app', '--branch', 'x'])).toMatch(
      /"--branch" is not an option of `housekeeping run`.*--repo, --dry-run, --max, --json/,
    );
    expect(message(['run', '--repo', 'acme/app', '--max', '0'])).toContain(
      '--max must be a positive integer',
    );
    expect(message(['sweep'])).toContain('unknown subcommand "sweep"');
  });
});
