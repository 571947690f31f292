/**
 * Parses `affineur release <step> [options]`. Each option names the steps it does something for;
 * given to any other step it is an error naming those steps (src/cli/command-options.ts), so a
 * flag is never accepted and ignored.
 */
import { type OptionSpec, parseCommandOptions } from '../../src/cli/command-options.js';
import { suggestClosest } from '../../src/config/suggest.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
import {
  type ContributorStyle,
  contributorStyles,
  isContributorStyle,
} from '../changelog/changelog-style.js';
import type { RequestedBump } from '../version/next-version.js';

export const releaseSteps = ['plan', 'prepare', 'publish', 'unfinished', 'codenames'] as const;
export type ReleaseStep = (typeof releaseSteps)[number];

export interface ReleaseArguments {
  readonly step: ReleaseStep;
  readonly dir?: string | undefined;
  readonly repo?: string | undefined;
  readonly token?: string | undefined;
  readonly apiUrl?: string | undefined;
  readonly serverUrl?: string | undefined;
  readonly branch?: string | undefined;
  readonly bump?: RequestedBump | undefined;
  readonly codename?: string | undefined;
  readonly version?: string | undefined;
  readonly initialVersion?: string | undefined;
  readonly date?: string | undefined;
  readonly contributors?: ContributorStyle | undefined;
  readonly omitMergeBacks: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
}

const planning = ['plan', 'prepare'] as const;
const every = releaseSteps;

/** Every option of `affineur release`, and the steps it does something for. */
export const releaseOptions: readonly OptionSpec[] = [
  { name: 'dir', value: 'PATH', appliesTo: every },
  { name: 'repo', value: 'OWNER/NAME', appliesTo: every },
  { name: 'token', value: 'TOKEN', appliesTo: every },
  { name: 'api-url', value: 'URL', appliesTo: every },
  { name: 'server-url', value: 'URL', appliesTo: every },
  { name: 'branch', value: 'BRANCH', appliesTo: every },
  { name: 'bump', value: 'major|minor|patch|rc', appliesTo: planning },
  { name: 'codename', value: 'NAME', appliesTo: planning },
  { name: 'version', value: 'vX.Y.Z', appliesTo: ['plan', 'prepare', 'publish'] },
  { name: 'initial-version', value: 'vX.Y.Z', appliesTo: planning },
  { name: 'date', value: 'YYYY-MM-DD', appliesTo: planning },
  { name: 'contributors', value: contributorStyles.join('|'), appliesTo: planning },
  { name: 'omit-merge-backs', appliesTo: planning },
  // `plan` never changes anything: a dry run of it would mean nothing more.
  { name: 'dry-run', appliesTo: ['prepare', 'publish'] },
  { name: 'json', appliesTo: every },
];

const bad = (message: string, hint: string) =>
  new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', message, { hint });

export function parseReleaseArguments(args: readonly string[]): ReleaseArguments {
  const [step, ...rest] = args;
  if (!step || !(releaseSteps as readonly string[]).includes(step)) {
    const guess = step ? suggestClosest(step, releaseSteps) : undefined;
    throw bad(
      step ? `unknown release step "${step}".` : 'missing release step.',
      guess ? `Did you mean "${guess}"?` : `Use one of: ${releaseSteps.join(', ')}.`,
    );
  }
  const { values, switches } = parseCommandOptions('release', rest, releaseOptions, step);

  const bump = values.get('bump');
  if (bump !== undefined && !['major', 'minor', 'patch', 'rc'].includes(bump)) {
    throw bad(
      `--bump must be major, minor, patch or rc, not "${bump}".`,
      'Leave it out to let the changes decide.',
    );
  }
  if (bump !== undefined && values.has('version')) {
    throw bad('--bump and --version cannot be used together.', 'Give the version, or the bump, not both.');
  }
  const date = values.get('date');
  if (date !== undefined && !isCalendarDate(date)) {
    throw bad(`--date must be a day written YYYY-MM-DD, not "${date}".`, 'For example --date 2025-11-07.');
  }
  const repo = values.get('repo');
  if (repo !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    throw bad(`--repo must be owner/name, not "${repo}".`, 'For example --repo traefik/traefik.');
  }
  const contributors = values.get('contributors');
  if (contributors !== undefined && !isContributorStyle(contributors)) {
    throw bad(
      `--contributors must be ${contributorStyles.join(', ')}, not "${contributors}".`,
      'by-mention writes "by @login", mention "@login", link "by [login](url)".',
    );
  }
  return {
    step: step as ReleaseStep,
    dir: values.get('dir'),
    repo,
    token: values.get('token'),
    apiUrl: values.get('api-url'),
    serverUrl: values.get('server-url'),
    branch: values.get('branch'),
    bump: bump as RequestedBump | undefined,
    codename: values.get('codename'),
    version: values.get('version'),
    initialVersion: values.get('initial-version'),
    date,
    contributors,
    omitMergeBacks: switches.has('omit-merge-backs'),
    dryRun: switches.has('dry-run'),
    json: switches.has('json'),
  };
}

/** YYYY-MM-DD naming a real day (2025-02-30 is refused, not rolled over). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}
