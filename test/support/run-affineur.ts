/**
 * `affineur <args>` in-process, through the real dispatcher and the real command list of
 * bin/main.ts, run from `cwd` with an empty environment (so no GITHUB_TOKEN of the machine is
 * used). Resolves to the exit code and what was written to stdout and stderr.
 */
import { commands } from '../../bin/main.js';
import { runCli } from '../../src/cli/dispatcher.js';
import { captureIo } from './capture-io.js';

export interface AffineurRun {
  code: number;
  out: string;
  err: string;
}

export async function affineur(cwd: string, ...args: string[]): Promise<AffineurRun> {
  const io = captureIo(cwd);
  const code = await runCli(args, commands, io);
  return { code, out: io.out(), err: io.err() };
}
