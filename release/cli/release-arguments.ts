/** Parses `affineur release <step> [options]`; bad input is a clear AFF_ERR_CLI_BAD_ARGUMENT. */
import { suggestClosest } from '../../src/config/suggest.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
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
  readonly dryRun: boolean;
  readonly json: boolean;
}

const valueFlags = [
  'dir',
  'repo',
  'token',
  'api-url',
  'server-url',
  'branch',
  'bump',
  'codename',
  'version',
  'initial-version',
  'date',
] as const;
const booleanFlags = ['dry-run', 'json'] as const;

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
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (!arg.startsWith('--'))
      throw bad(`unexpected argument "${arg}".`, 'Options are written --name value.');
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if ((booleanFlags as readonly string[]).includes(name)) {
      if (eq !== -1) throw bad(`--${name} takes no value.`, `Write --${name} alone.`);
      flags.add(name);
      continue;
    }
    if (!(valueFlags as readonly string[]).includes(name)) {
      const guess = suggestClosest(name, [...valueFlags, ...booleanFlags]);
      throw bad(
        `unknown option --${name}.`,
        guess ? `Did you mean --${guess}?` : 'Run `affineur release --help`.',
      );
    }
    const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw bad(`--${name} needs a value.`, `Write --${name} VALUE.`);
    }
    values.set(name, value);
  }

  const bump = values.get('bump');
  if (bump !== undefined && !['major', 'minor', 'patch', 'rc'].includes(bump)) {
    throw bad(
      `--bump must be major, minor, patch or rc, not "${bump}".`,
      'Leave it out to let the changes decide.',
    );
  }
  const date = values.get('date');
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw bad(`--date must be YYYY-MM-DD, not "${date}".`, 'For example --date 2025-11-07.');
  }
  const repo = values.get('repo');
  if (repo !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    throw bad(`--repo must be owner/name, not "${repo}".`, 'For example --repo traefik/traefik.');
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
    dryRun: flags.has('dry-run'),
    json: flags.has('json'),
  };
}
