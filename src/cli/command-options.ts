/**
 * Option parsing shared by the `affineur` commands, with one rule: every option either does what
 * it says for the (sub)command it is given to, or is an error. An option that exists but belongs
 * to other subcommands is refused with their names (`--json` on `release codenames` → "applies to
 * plan, prepare, publish, unfinished"), so nothing is silently ignored.
 *
 * Options are written `--name value`, `--name=value`, or `--name` alone for switches.
 */
import { suggestClosest } from '../config/suggest.js';
import { AffineurError } from '../errors/affineur-error.js';

export interface OptionSpec {
  readonly name: string;
  /** The value's placeholder (`PATH`, `major|minor|patch|rc`); a switch has none. */
  readonly value?: string | undefined;
  /** The subcommands the option applies to; omitted when the command has no subcommands. */
  readonly appliesTo?: readonly string[] | undefined;
}

export interface ParsedOptions {
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
}

const bad = (message: string, hint: string) =>
  new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', message, { hint });

/**
 * Parses `args` for `command` (`release`, or `release prepare` once the subcommand is known).
 * `subcommand` is checked against each option's `appliesTo`.
 */
export function parseCommandOptions(
  command: string,
  args: readonly string[],
  specs: readonly OptionSpec[],
  subcommand?: string,
): ParsedOptions {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const invocation = subcommand === undefined ? `affineur ${command}` : `affineur ${command} ${subcommand}`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      throw bad(
        `${invocation}: unexpected argument "${arg}".`,
        specs.length === 0
          ? `\`${invocation}\` takes no arguments; run \`affineur ${command} --help\`.`
          : 'Options are written --name value.',
      );
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      const guess = suggestClosest(
        name,
        specs.map((s) => s.name),
      );
      const hint =
        specs.length === 0
          ? `\`${invocation}\` takes no options; run \`affineur ${command} --help\`.`
          : guess
            ? `Did you mean --${guess}?`
            : `Run \`affineur ${command} --help\` for the options.`;
      throw bad(`${invocation}: unknown option --${name}.`, hint);
    }
    if (subcommand !== undefined && spec.appliesTo !== undefined && !spec.appliesTo.includes(subcommand)) {
      throw bad(
        `--${name} does not apply to \`${invocation}\`.`,
        `It applies to \`affineur ${command} ${spec.appliesTo.join('|')}\`.`,
      );
    }
    if (spec.value === undefined) {
      if (eq !== -1) throw bad(`--${name} takes no value.`, `Write --${name} alone.`);
      switches.add(name);
      continue;
    }
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw bad(`--${name} needs a value.`, `Write --${name} ${spec.value}.`);
    }
    if (values.has(name)) throw bad(`--${name} is given twice.`, `Give --${name} once.`);
    values.set(name, value);
  }
  return { values, switches };
}

/** The options a subcommand accepts, for its usage line: `[--dir PATH] [--json]`. */
export function formatOptions(specs: readonly OptionSpec[], subcommand?: string): string {
  return specs
    .filter((s) => subcommand === undefined || s.appliesTo === undefined || s.appliesTo.includes(subcommand))
    .map((s) => (s.value === undefined ? `[--${s.name}]` : `[--${s.name} ${s.value}]`))
    .join(' ');
}
