/**
 * The schema of `.github/affineur.yml`, the per-repository configuration. It is the single
 * source: the TypeScript types, the defaults and `schema/affineur.schema.json` (for editors,
 * regenerated with `npm run schema`) all come from it. Every key has a description.
 * Objects use `prefault({})` so a missing section still gets its nested defaults.
 */
import { z } from 'zod';
import { durationSchema } from '../../src/config/duration.js';
import { defaultLabels } from './default-labels.js';
import { releaseConfigSchema } from './release-config-schema.js';

export const repoConfigPath = '.github/affineur.yml';

const label = z.string().min(1).max(50).meta({ description: 'A label name.' });
const enabled = (what: string, value = true) =>
  z
    .boolean()
    .default(value)
    .meta({ description: `Turns ${what} on or off.` });
/** A JavaScript regular expression, checked to compile so a typo is a config error, not a crash. */
export const regexSource = z.string().refine(compiles, { message: 'expected a valid regular expression' });

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

const pathPatterns = (description: string) => z.array(z.string().min(1)).default([]).meta({ description });

const pathRule = z
  .strictObject({
    label: label.meta({ description: 'The area label to add when a changed file matches.' }),
    paths: z
      .array(z.string().min(1))
      .min(1)
      .meta({ description: 'Patterns matched against each changed file path.' }),
    syntax: z.enum(['glob', 'regex']).default('glob').meta({
      description:
        '`glob` (`docs/**`, `**/*.md`) or `regex`: RE2/Go syntax as in aloba (`(?i).*(consul).*`), unanchored, matched in linear time.',
    }),
    excludedPaths: pathPatterns('Files matching these patterns (same syntax) never trigger this rule.'),
  })
  // A regex that does not compile is not a schema error: the rule is skipped and the config
  // check reports it (bot/triage/area-rule-problems.ts), so one typo cannot switch the bot off.
  .meta({ description: 'Adds `label` when at least one changed file matches `paths`.' });

const sizeLimit = z
  .strictObject({
    sum: z.int().positive().meta({ description: 'Additions + deletions must be below this.' }),
    diff: z.int().positive().meta({ description: '|additions − deletions| must be below this.' }),
    files: z.int().positive().meta({ description: 'The number of changed files must be below this.' }),
  })
  .meta({ description: 'A PR is this size when it is below all three limits.' });

const triageSchema = z
  .strictObject({
    enabled: enabled('all triage rules'),
    needsTriage: z
      .strictObject({
        enabled: enabled('the needs-triage label'),
        label: label.default('status/0-needs-triage'),
        wipLabels: z
          .array(label)
          .default(['WIP'])
          .meta({ description: 'Labels that count as a status, like a draft PR does (aloba’s `WIP`).' }),
      })
      .prefault({})
      .meta({
        description:
          'Adds a label to new issues without labels and to new PRs without a `status/*` label, a WIP label or draft state; only at opening, never on a push.',
      }),
    areas: z
      .strictObject({
        enabled: enabled('area labels from changed paths'),
        rules: z
          .array(pathRule)
          .default([
            { label: 'area/documentation', paths: ['docs/**', '**/*.md'], syntax: 'glob', excludedPaths: [] },
          ])
          .meta({ description: 'Area rules, each checked against every changed file.' }),
        excludedPaths: pathPatterns('Changed files matching these globs are ignored by every area rule.'),
      })
      .prefault({})
      .meta({ description: 'Area labels on PRs, from the paths they change.' }),
    size: z
      .strictObject({
        enabled: enabled('size labels'),
        limits: z
          .strictObject({
            S: sizeLimit.default({ sum: 150, diff: 70, files: 20 }),
            M: sizeLimit.default({ sum: 400, diff: 200, files: 50 }),
          })
          .prefault({})
          .meta({ description: 'Limits for size S and M; anything bigger is L.' }),
        labels: z
          .strictObject({
            S: label.default('size/S'),
            M: label.default('size/M'),
            L: label.default('size/L'),
          })
          .prefault({})
          .meta({ description: 'The label for each size.' }),
        excludedPaths: z.array(z.string().min(1)).default(['vendor/**']).meta({
          description:
            'Changed files matching these globs do not count (vendored code, as in aloba; lock files, generated code).',
        }),
        recomputeOnPush: z.boolean().default(true).meta({
          description:
            'Recompute the size when commits are pushed (a stale size misleads reviewers). `false` sizes only at opening, as aloba does.',
        }),
      })
      .prefault({})
      .meta({ description: 'A size label on PRs (Traefik’s rule); a stale size label is replaced.' }),
    milestone: z
      .strictObject({
        enabled: enabled('milestones from the base branch'),
        branchPattern: regexSource.default('^v?(\\d+\\.\\d+)$').meta({
          description: 'A regex on the base branch; its first group is the milestone title (`v1.4` → `1.4`).',
        }),
        includeClosed: z.boolean().default(true).meta({
          description: 'When no open milestone matches, use a closed one with that title, as aloba does.',
        }),
      })
      .prefault({})
      .meta({
        description: 'Sets the milestone of a PR without one to the milestone matching its base branch.',
      }),
    kind: z
      .strictObject({
        enabled: enabled('labels from conventional-commit titles'),
        types: z
          .record(z.string().regex(/^[a-z]+$/), label)
          .default({ feat: 'kind/enhancement', fix: 'kind/bug/fix', docs: 'area/documentation' })
          .meta({ description: 'Conventional-commit type (the `feat` in `feat(proxy): ...`) → label.' }),
        imperative: z
          .record(z.string().regex(/^[a-z]+$/), z.string().regex(/^[a-z]+$/))
          .default({ fix: 'fix', add: 'feat', support: 'feat', allow: 'feat', improve: 'feat', bump: 'feat' })
          .meta({
            description:
              'For titles without a conventional prefix, Traefik-style: the first word (`Fix …`, `Add …`) → a conventional type, then labelled through `types`.',
          }),
      })
      .prefault({})
      .meta({ description: 'A label from the PR title’s conventional-commit type, or its imperative verb.' }),
    reviews: z
      .strictObject({
        enabled: enabled('the waiting-for-corrections label from reviews'),
        waitingLabel: label.default('contributor/waiting-for-corrections'),
      })
      .prefault({})
      .meta({ description: 'A review requesting changes adds `waitingLabel`; an approval removes it.' }),
    welcome: z
      .strictObject({
        enabled: enabled('the welcome comment', false),
        message: z
          .string()
          .min(1)
          .default('Thank you for your first contribution, @{author}! A maintainer will look at it soon.')
          .meta({ description: 'The comment; `{author}` becomes the author’s login.' }),
      })
      .prefault({})
      .meta({ description: 'A comment on the first issue or PR of a first-time contributor.' }),
    commands: z
      .strictObject({ enabled: enabled('`/label add|remove <name>` comment commands') })
      .prefault({})
      .meta({ description: 'Comment commands, honoured for users with write permission.' }),
  })
  .prefault({})
  .meta({ description: 'Labels and milestones for new issues and PRs.' });

const labelDefinition = z.strictObject({
  name: label,
  color: z
    .string()
    .regex(/^[0-9a-fA-F]{6}$/, 'expected six hex digits without #, such as "d73a4a"')
    .meta({ description: 'Six hex digits, without `#`.' }),
  description: z.string().max(100).default('').meta({ description: 'Shown next to the label on GitHub.' }),
});

const labelsSchema = z
  .strictObject({
    sync: enabled('creating and updating the declared labels'),
    prune: z.boolean().default(false).meta({
      description:
        'Also delete labels that are not declared. Off by default: deleting a label removes it from every issue.',
    }),
    definitions: z
      .array(labelDefinition)
      .default(defaultLabels)
      .meta({ description: 'The labels the repository should have. Defaults to Traefik’s taxonomy.' }),
  })
  .prefault({})
  .meta({ description: 'Label sync.' });

const mergeSchema = z
  .strictObject({
    enabled: enabled('the merge queue', false),
    dryRun: z
      .boolean()
      .default(true)
      .meta({ description: 'Log what the merge queue would do without doing it.' }),
    minReview: z.int().min(0).default(3).meta({ description: 'Approvals needed to merge.' }),
    minLightReview: z
      .int()
      .min(0)
      .default(1)
      .meta({ description: 'Approvals needed on PRs labelled `bot/light-review`.' }),
    needMilestone: z.boolean().default(true).meta({ description: 'Only merge PRs that have a milestone.' }),
    method: z
      .enum(['squash', 'merge', 'rebase'])
      .default('squash')
      .meta({ description: 'Default merge method; a `bot/merge-method-*` label overrides it per PR.' }),
    retry: z
      .strictObject({
        number: z
          .int()
          .min(0)
          .default(0)
          .meta({ description: 'Merge attempts after the first; tracked with `bot/merge-retry-N`.' }),
        interval: durationSchema
          .default(60_000)
          .meta({ description: 'Wait between attempts (`1m`, `30s`).' }),
      })
      .prefault({})
      .meta({ description: 'Retrying a merge that failed (checks pending, a race).' }),
    ciTimeout: durationSchema.default(3_600_000).meta({
      description:
        'How long the PR at the head of the queue may wait for CI before it is taken out with `bot/need-human-merge` (`1h`, `30m`).',
    }),
    commitMessage: z.enum(['empty', 'github', 'description']).default('empty').meta({
      description: 'Squash commit body: `empty`, GitHub’s default (`github`), or the PR description.',
    }),
    forceNeedUpToDate: z.boolean().default(true).meta({
      description: 'Rebase a PR on its base branch before merging, even if branch protection does not ask.',
    }),
    approvalsSurvivePushes: z.boolean().default(false).meta({
      description:
        'Keep counting approvals given before a push by someone other than the bot. Off: an approval is for the commit it was given on (the bot’s own rebases keep it when the changes are unchanged).',
    }),
    blockingLabels: z
      .array(label)
      .default(['bot/no-merge', 'status/1-needs-design-review', 'contributor/waiting-for-corrections'])
      .meta({ description: 'PRs with any of these labels are never merged.' }),
    deleteBranch: z
      .boolean()
      .default(false)
      .meta({ description: 'Delete the head branch after merging (same-repo PRs only).' }),
    releaseBranches: z.array(z.string().min(1)).default(['v*']).meta({
      description:
        'Glob patterns of release branches (`*` within a segment, `**` across). The bot never rebases or force-pushes them; a PR from one (a merge-back) is merged with a fast-forward of its base or a merge commit.',
    }),
    markers: z
      .strictObject({
        needMerge: label
          .default('status/3-needs-merge')
          .meta({ description: 'Marks a PR ready for the merge queue.' }),
        mergeInProgress: label
          .default('status/4-merge-in-progress')
          .meta({ description: 'Set by the bot while it merges a PR.' }),
        needHumanMerge: label
          .default('bot/need-human-merge')
          .meta({ description: 'Set by the bot when it cannot merge a PR by itself.' }),
        lightReview: label
          .default('bot/light-review')
          .meta({ description: 'PRs with it need `minLightReview` approvals.' }),
        noMerge: label.default('bot/no-merge').meta({
          description: 'Pauses a PR quietly (no comment, no human label); removing it resumes the PR.',
        }),
        noRebase: label
          .default('bot/merge-no-rebase')
          .meta({ description: 'PRs with it are never rebased by the bot.' }),
        mergeMethodPrefix: z.string().min(1).default('bot/merge-method-').meta({
          description: 'Prefix of the labels that pick a PR’s merge method (`bot/merge-method-rebase`).',
        }),
        mergeRetryPrefix: z
          .string()
          .min(1)
          .default('bot/merge-retry-')
          .meta({ description: 'Prefix of the labels counting merge retries (`bot/merge-retry-2`).' }),
      })
      .prefault({})
      .meta({ description: 'The labels the merge queue reads and writes.' }),
  })
  .prefault({})
  .meta({ description: 'The merge queue (Traefik’s lobicornis model).' });

const staleRule = z
  .strictObject({
    includedLabels: z
      .array(label)
      .default([])
      .meta({ description: 'Only items with every one of these labels.' }),
    excludedLabels: z.array(label).default([]).meta({ description: 'Never items with any of these labels.' }),
    daysSinceCreation: z
      .int()
      .min(0)
      .default(0)
      .meta({ description: 'Only items created at least this many days ago.' }),
    daysSinceUpdate: z
      .int()
      .min(1)
      .meta({ description: 'Only items not updated for at least this many days.' }),
    message: z.string().min(1).meta({ description: 'The comment posted when the rule acts.' }),
    closeAfterDays: z.int().min(1).optional().meta({
      description:
        'Without it, matching items are closed at once with `message` (bibikoffi). With it, they are first marked with `staleLabel` and `message`, then closed when still not updated this many days later.',
    }),
    staleLabel: label.default('bot/stale').meta({ description: 'The mark of `closeAfterDays` rules.' }),
    type: z
      .enum(['issue', 'pr', 'all'])
      .default('issue')
      .meta({ description: 'Issues, pull requests, or both.' }),
  })
  .meta({ description: 'One stale rule, in the shape of Traefik’s bibikoffi.' });

const housekeepingSchema = z
  .strictObject({
    stale: z.array(staleRule).default([]).meta({ description: 'Stale rules; none by default.' }),
    lock: z
      .strictObject({
        daysSinceClose: z
          .int()
          .min(1)
          .meta({ description: 'Lock items closed at least this many days ago.' }),
        label: label
          .default('status/5-frozen-due-to-age')
          .meta({ description: 'Added to each locked item.' }),
        message: z.string().min(1).optional().meta({ description: 'A comment posted before locking.' }),
        type: z
          .enum(['issue', 'pr', 'all'])
          .default('all')
          .meta({ description: 'Issues, pull requests, or both.' }),
      })
      .optional()
      .meta({ description: 'Locks old closed issues and PRs (bibikoffi); off unless set.' }),
    maxActionsPerRun: z.int().min(1).max(1000).default(30).meta({
      description:
        'At most this many items closed, marked or locked per run and repository (oldest first), so a first run on an old repository does not act on hundreds at once.',
    }),
    report: z
      .strictObject({
        enabled: enabled('the weekly report issue', false),
        title: z
          .string()
          .min(1)
          .default('affineur: weekly report')
          .meta({ description: 'The report issue’s title.' }),
        label: label
          .default('bot/weekly-report')
          .meta({ description: 'Finds the report issue; keep it unique.' }),
        every: durationSchema
          .default(7 * 86_400_000)
          .meta({ description: 'How often the report is refreshed (`168h`).' }),
      })
      .prefault({})
      .meta({
        description:
          'One issue, updated in place: PRs waiting for review, for corrections, for a design review, ready but blocked, and the merge queue per base branch.',
      }),
  })
  .prefault({})
  .meta({
    description:
      'Stale issues, locks and the weekly report, run on a schedule and by `affineur housekeeping run`.',
  });

export const repoConfigSchema = z
  .strictObject({
    _extends: z.string().optional().meta({
      description: 'Inherit from another file: `repo`, `owner/repo` or `owner/repo:path/to/file.yml`.',
    }),
    dryRun: z
      .boolean()
      .default(false)
      .meta({ description: 'Log every action (one line each) instead of doing it, for this repository.' }),
    triage: triageSchema,
    labels: labelsSchema,
    merge: mergeSchema,
    release: releaseConfigSchema,
    housekeeping: housekeepingSchema,
  })
  .meta({
    title: 'affineur repository configuration (.github/affineur.yml)',
    description:
      'Configuration of the affineur GitHub App for one repository. `_extends: repo` or `owner/repo:path.yml` inherits from another file; top-level keys here replace the inherited ones.',
  });

export type RepoConfig = z.output<typeof repoConfigSchema>;
export type TriageConfig = RepoConfig['triage'];
export type HousekeepingConfig = RepoConfig['housekeeping'];
export type StaleRule = HousekeepingConfig['stale'][number];
