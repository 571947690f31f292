/**
 * Keeps the contenders of a benchmark apart from the load. On a machine with two cores, wrk,
 * the upstream and the proxy under test otherwise fight over both, and the proxy's share of
 * CPU (not its efficiency) decides its req/s: run to run, the same build moved by 30%. Pinned,
 * every contender gets one whole core of its own and the load (this script, wrk, the upstream)
 * runs on the others, so the figures compare the proxies and repeat from run to run.
 *
 * Pinning needs `taskset` (util-linux) and two cores; without them, or with `--no-pin`, nothing
 * is pinned and the report says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface Pinning {
  /** Core list for the contenders (taskset syntax), or undefined when not pinning. */
  contenderCores: string | undefined;
  /** One line for the report. */
  description: string;
}

export function choosePinning(requested: boolean): Pinning {
  const cores = availableParallelism();
  if (!requested) return { contenderCores: undefined, description: 'not pinned (--no-pin)' };
  if (cores < 2 || !hasTaskset()) {
    return { contenderCores: undefined, description: 'not pinned (needs taskset and 2 cores)' };
  }
  const contender = String(cores - 1);
  const load = cores === 2 ? '0' : `0-${cores - 2}`;
  // Everything this script starts from now on (wrk, the upstream) inherits the load cores.
  execFileSync('taskset', ['-a', '-p', '-c', load, String(process.pid)], { stdio: 'ignore' });
  return {
    contenderCores: contender,
    description: `each contender pinned to core ${contender}; wrk and the upstream on core(s) ${load}`,
  };
}

/** The command line that runs `command` on the contender cores (unchanged when not pinning). */
export function onContenderCores(pinning: Pinning, command: string, args: string[]): [string, string[]] {
  if (pinning.contenderCores === undefined) return [command, args];
  return ['taskset', ['-c', pinning.contenderCores, command, ...args]];
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU time (user + system, every thread) used so far by a process and all its descendants, in
 * milliseconds: nginx's work happens in its worker, a child of the process we started.
 */
export function processTreeCpuMs(pid: number): number {
  const statFile = `/proc/${pid}/stat`;
  if (!existsSync(statFile)) return 0;
  // Fields after the command name (which may contain spaces): utime and stime are 12th and 13th.
  const fields = readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticksToMs = 1000 / 100; // USER_HZ is 100 on Linux
  let total = (Number(fields[11]) + Number(fields[12])) * ticksToMs;
  const childrenFile = `/proc/${pid}/task/${pid}/children`;
  if (existsSync(childrenFile)) {
    for (const child of readFileSync(childrenFile, 'utf8').trim().split(/\s+/).filter(Boolean)) {
      total += processTreeCpuMs(Number(child));
    }
  }
  return total;
}
