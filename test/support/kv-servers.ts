/**
 * Private etcd and Redis servers that a test can kill and start again on the same port and
 * data directory, for outage tests: the shared instances of services.ts must never be killed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './services.js';

export interface RestartableServer {
  /** host:port */
  address: string;
  port: number;
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
  });
}

async function until(probe: () => Promise<boolean>, what: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready`);
}

function restartable(
  what: string,
  port: number,
  dir: string,
  launch: () => ChildProcess,
  ready: () => Promise<boolean>,
): RestartableServer {
  let child: ChildProcess | undefined;
  const server: RestartableServer = {
    address: `127.0.0.1:${port}`,
    port,
    async start() {
      child = launch();
      running.add(child);
      await until(ready, what);
    },
    async kill() {
      const current = child;
      if (!current || current.exitCode !== null) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill('SIGKILL');
      await exited;
      running.delete(current);
      child = undefined;
    },
    async close() {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A single-member etcd on free ports; its data survives kill and start. */
export async function privateEtcd(): Promise<RestartableServer> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'affineur-etcd-private-'));
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const server = restartable(
    'etcd',
    clientPort,
    dir,
    () =>
      spawn(
        'etcd',
        [
          '--name=private',
          `--data-dir=${join(dir, 'data')}`,
          `--listen-client-urls=${client}`,
          `--advertise-client-urls=${client}`,
          `--listen-peer-urls=${peer}`,
          `--initial-advertise-peer-urls=${peer}`,
          `--initial-cluster=private=${peer}`,
          '--log-level=error',
        ],
        { stdio: 'ignore' },
      ),
    async () => {
      try {
        return (await fetch(`${client}/health`)).ok;
      } catch {
        return false;
      }
    },
  );
  await server.start();
  return server;
}

/** A redis-server on a free port with an append-only file, so its keys survive kill and start. */
export async function privateRedis(extraArgs: string[] = []): Promise<RestartableServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'affineur-redis-private-'));
  const server = restartable(
    'redis-server',
    port,
    dir,
    () =>
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          ...extraArgs,
        ],
        { stdio: 'ignore' },
      ),
    () => answers(port),
  );
  await server.start();
  return server;
}

/** A Redis Sentinel (redis-server --sentinel) watching `masterPort` as master `name`. */
export async function privateSentinel(name: string, masterPort: number): Promise<RestartableServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'affineur-sentinel-'));
  const config = join(dir, 'sentinel.conf');
  // Sentinel rewrites its config file, so it lives in the private directory.
  writeFileSync(
    config,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
      `sentinel down-after-milliseconds ${name} 5000`,
      '',
    ].join('\n'),
  );
  const server = restartable(
    'redis-sentinel',
    port,
    dir,
    () => spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' }),
    () => answers(port),
  );
  await server.start();
  return server;
}
