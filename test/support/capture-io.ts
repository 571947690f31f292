/**
 * The I/O the `affineur` dispatcher and its commands write to, captured as text, with no
 * environment, so a test reads back what a user would see and no token of the machine leaks in.
 */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/command.js';

export interface CapturedIo extends CliIo {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

export function captureIo(cwd: string = process.cwd()): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  return { stdout, stderr, env: {}, cwd, out: () => out, err: () => err };
}
