/**
 * A Docker Engine for tests that build and run images: the machine's daemon when
 * /var/run/docker.sock answers `GET /_ping`, else a private `dockerd` with its own data-root,
 * exec-root, pidfile and socket in a temp dir, stopped when the test process exits. No registry
 * can be reached, so it runs without networking of its own (`--iptables=false --bridge=none`):
 * containers use `--network host`.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AffineurError } from '../../src/errors/affineur-error.js';

const run = promisify(execFile);

export interface DockerDaemon {
  /** The socket path; pass `DOCKER_HOST=unix://<socket>` to the docker CLI. */
  socket: string;
  /** Runs the docker CLI against this daemon; rejects with its stderr on failure. */
  docker(args: readonly string[], options?: { timeoutMs?: number }): Promise<string>;
}

const systemSocket = '/var/run/docker.sock';

/** `GET /_ping` over the unix socket: "OK" from a live daemon. */
export function dockerPing(socket: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'OK'));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

let daemon: Promise<DockerDaemon> | undefined;
let child: ChildProcess | undefined;
let ownDir: string | undefined;

// A last resort when a suite forgot stopDockerDaemon(): same steps, synchronously.
process.on('exit', () => {
  if (!child || !ownDir) return;
  child.kill('SIGTERM');
  spawnSync('timeout', ['20', 'tail', `--pid=${child.pid}`, '-f', '/dev/null']);
  cleanUp(ownDir);
});

/**
 * Stops the private daemon (the machine's own is left alone): SIGTERM, so dockerd stops its
 * containers and unmounts what it mounted, then whatever it left mounted under its directory,
 * then the directory. A SIGKILL would leave mounts behind that no `rm` can remove.
 */
export async function stopDockerDaemon(): Promise<void> {
  const running = child;
  const dir = ownDir;
  child = undefined;
  ownDir = undefined;
  daemon = undefined;
  if (!running || !dir) return;
  if (running.exitCode === null) {
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (running.exitCode === null) running.kill('SIGKILL');
  }
  cleanUp(dir);
}

function cleanUp(dir: string): void {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const target of mounts) spawnSync('umount', ['-l', target]);
  rmSync(dir, { recursive: true, force: true });
}

export function dockerDaemon(): Promise<DockerDaemon> {
  daemon ??= (async () => {
    if (await dockerPing(systemSocket)) return clientFor(systemSocket);
    // Unix socket paths are limited to ~107 bytes: keep the directory short.
    ownDir = mkdtempSync(join(tmpdir(), 'aff-dockerd-'));
    const socket = join(ownDir, 'docker.sock');
    child = spawn(
      'dockerd',
      [
        '--iptables=false',
        '--ip6tables=false',
        '--bridge=none',
        `--data-root=${join(ownDir, 'data')}`,
        `--exec-root=${join(ownDir, 'exec')}`,
        `--pidfile=${join(ownDir, 'docker.pid')}`,
        `--host=unix://${socket}`,
      ],
      // Its own process group: the test runner's signals to its workers must not reach it.
      { stdio: 'ignore', detached: true },
    );
    const deadline = Date.now() + 60_000;
    while (!(await dockerPing(socket))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new AffineurError('AFF_ERR_SERVICE_UNAVAILABLE', 'dockerd did not become ready.', {
          hint: 'Run `bash scripts/ensure-test-services.sh` (it installs docker.io) and check that `dockerd --iptables=false --bridge=none` starts as root.',
        });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return clientFor(socket);
  })();
  return daemon;
}

function clientFor(socket: string): DockerDaemon {
  return {
    socket,
    async docker(args, { timeoutMs = 600_000 } = {}) {
      try {
        const { stdout } = await run('docker', [...args], {
          env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_BUILDKIT: '0' },
          timeout: timeoutMs,
          maxBuffer: 64 * 1024 * 1024,
        });
        return stdout;
      } catch (error) {
        const failed = error as { stderr?: string; stdout?: string; message: string };
        throw new Error(
          `docker ${args.join(' ')} failed: ${failed.stderr || failed.message}\n${failed.stdout ?? ''}`,
        );
      }
    },
  };
}
