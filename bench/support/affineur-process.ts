/**
 * Starts `affineur proxy` for a benchmark: one entryPoint on 127.0.0.1:`port`, routing from the
 * files of `directory` applied at once (no provider throttle), errors only in the log, and on
 * the contender cores when pinning.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { onContenderCores, type Pinning } from './cpu-pinning.js';

const root = new URL('../../', import.meta.url).pathname;

export function spawnAffineur(pinning: Pinning, port: number, directory: string): ChildProcess {
  return spawn(
    ...onContenderCores(pinning, process.execPath, [
      join(root, 'bin/affineur.js'),
      'proxy',
      `--entryPoints.web.address=127.0.0.1:${port}`,
      `--providers.file.directory=${directory}`,
      '--providers.providersThrottleDuration=0',
      '--log.level=ERROR',
    ]),
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}
