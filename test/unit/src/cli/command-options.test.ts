/**
 * The rule every `affineur` command follows: an option either does something for the
 * (sub)command it is given to, or is an error naming where it applies. Nothing is ignored.
 */
import { describe, expect, it } from 'vitest';
import { type OptionSpec, parseCommandOptions } from '../../../../src/cli/command-options.js';
import { affineur } from '../../../support/run-affineur.js';

const specs: OptionSpec[] = [
  { name: 'dir', value: 'PATH', appliesTo: ['plan', 'publish'] },
  { name: 'dry-run', appliesTo: ['publish'] },
  { name: 'json', appliesTo: ['plan', 'publish'] },
];

describe('parseCommandOptions', () => {
  it('reads values written both ways and switches', () => {
    const parsed = parseCommandOptions('release', ['--dir', 'a', '--json', '--dry-run'], specs, 'publish');
    expect(parsed.values.get('dir')).toBe('a');
    expect([...parsed.switches]).toEqual(['json', 'dry-run']);
    expect(parseCommandOptions('release', ['--dir=b'], specs, 'plan').values.get('dir')).toBe('b');
  });

  it('refuses an option given to a subcommand it does not apply to, naming those it applies to', () => {
    expect(() => parseCommandOptions('release', ['--dry-run'], specs, 'plan')).toThrow(
      'AFF_ERR_CLI_BAD_ARGUMENT: --dry-run does not apply to `affineur release plan`. It applies to `affineur release publish`.',
    );
  });

  it('refuses unknown options with a guess, values on switches, missing and repeated values, stray words', () => {
    expect(() => parseCommandOptions('release', ['--jsno'], specs, 'plan')).toThrow('Did you mean --json?');
    expect(() => parseCommandOptions('release', ['--json=yes'], specs, 'plan')).toThrow(
      '--json takes no value',
    );
    expect(() => parseCommandOptions('release', ['--dir'], specs, 'plan')).toThrow('--dir needs a value');
    expect(() => parseCommandOptions('release', ['--dir', '--json'], specs, 'plan')).toThrow(
      '--dir needs a value',
    );
    expect(() => parseCommandOptions('release', ['--dir', 'a', '--dir=b'], specs, 'plan')).toThrow(
      '--dir is given twice',
    );
    expect(() => parseCommandOptions('release', ['now'], specs, 'plan')).toThrow('unexpected argument "now"');
  });

  it('says a command without options takes none', () => {
    expect(() => parseCommandOptions('bot', ['--port', '3000'], [])).toThrow(
      'affineur bot: unknown option --port. `affineur bot` takes no options; run `affineur bot --help`.',
    );
  });
});

describe('every affineur command refuses an option it would ignore', () => {
  it.each([
    [['bot', '--port', '3000'], 2, 'affineur bot: unknown option --port'],
    [['sandbox', '--bogus'], 2, 'unknown option "--bogus"'],
    [['demo', '--act'], 2, 'unexpected argument "--act"'],
    [['release', 'codenames', '--dry-run'], 2, 'It applies to `affineur release prepare|publish`'],
    [['proxy', '--bogus=1'], 1, 'unknown key "bogus"'],
  ])('affineur %j', async (args, code, message) => {
    const result = await affineur(process.cwd(), ...(args as string[]));
    expect(result.code).toBe(code);
    expect(result.err).toContain(message);
  });
});
