import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../../src/cli/command.js';
import { runCli } from '../../../../src/cli/dispatcher.js';
import { AffineurError } from '../../../../src/errors/affineur-error.js';
import { captureIo } from '../../../support/capture-io.js';

const calls: string[][] = [];
const greet: Command = {
  name: 'greet',
  summary: 'Says hello.',
  help: 'Usage: affineur greet [--name=NAME]',
  async run(args, io) {
    calls.push([...args]);
    if (args.includes('--fail')) {
      throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', 'bad --fail.', { hint: 'Drop it.' });
    }
    io.stdout.write('hello\n');
    return 0;
  },
};

describe('the affineur CLI dispatcher', () => {
  it('lists the registered commands in --help', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], [greet], io)).toBe(0);
    expect(io.out()).toContain('Usage: affineur <command> [options]');
    expect(io.out()).toMatch(/greet\s+Says hello\./);
  });

  it('prints usage and exits 2 with no command', async () => {
    const io = captureIo();
    expect(await runCli([], [greet], io)).toBe(2);
    expect(io.out()).toContain('Commands:');
  });

  it('runs a command with its own arguments', async () => {
    const io = captureIo();
    expect(await runCli(['greet', '--name=x'], [greet], io)).toBe(0);
    expect(io.out()).toBe('hello\n');
    expect(calls.at(-1)).toEqual(['--name=x']);
  });

  it('shows per-command help for `<cmd> --help` and `help <cmd>`', async () => {
    for (const argv of [
      ['greet', '--help'],
      ['help', 'greet'],
    ]) {
      const io = captureIo();
      expect(await runCli(argv, [greet], io)).toBe(0);
      expect(io.out()).toBe('Usage: affineur greet [--name=NAME]\n');
    }
  });

  it('suggests the nearest command for a typo', async () => {
    const io = captureIo();
    expect(await runCli(['gret'], [greet], io)).toBe(2);
    expect(io.err()).toBe('AFF_ERR_CLI_UNKNOWN_COMMAND: unknown command "gret". Did you mean "greet"?\n');
  });

  it('turns an AffineurError into a one-line message and an exit code, never a stack', async () => {
    const io = captureIo();
    expect(await runCli(['greet', '--fail'], [greet], io)).toBe(2);
    expect(io.err()).toBe('AFF_ERR_CLI_BAD_ARGUMENT: bad --fail. Drop it.\n');
  });
});

describe('the affineur executable', () => {
  it('runs from a fresh checkout with no build step', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/affineur.js', '--help'], {
      cwd: new URL('../../../../', import.meta.url),
    });
    expect(stdout).toContain('Usage: affineur <command> [options]');
  });
});
