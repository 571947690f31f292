/**
 * A private Docker Engine that a test may stop and start again on the same socket and data
 * root, for outage tests (the shared one of services.ts must never be stopped). It runs with
 * `--live-restore`, so containers keep running while the daemon is down, as in production.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateDockerd {
  endpoint: string;
  socketPath: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path: socketPath });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(/^HTTP\/1\.[01] 200/.test(data.toString()));
    });
    socket.once('connect', () =>
      socket.write('GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n'),
    );
  });
}

/** Also listen on tcp://127.0.0.1:`port`, requiring TLS client certificates signed by `ca`. */
export interface DockerdTls {
  port: number;
  ca: string;
  cert: string;
  key: string;
}

export async function privateDockerd(tls?: DockerdTls): Promise<PrivateDockerd> {
  const dir = mkdtempSync(join(tmpdir(), 'affineur-dockerd-private-'));
  const socketPath = join(dir, 'docker.sock');
  let child: ChildProcess | undefined;
  const onExit = () => child?.kill('SIGTERM');
  process.on('exit', onExit);
  const daemon: PrivateDockerd = {
    endpoint: `unix://${socketPath}`,
    socketPath,
    async start() {
      child = spawn(
        'dockerd',
        [
          '--iptables=false',
          '--ip6tables=false',
          '--bridge=none',
          '--live-restore',
          `--data-root=${join(dir, 'data')}`,
          `--exec-root=${join(dir, 'exec')}`,
          `--pidfile=${join(dir, 'dockerd.pid')}`,
          `--host=unix://${socketPath}`,
          ...(tls
            ? [
                `--host=tcp://127.0.0.1:${tls.port}`,
                '--tlsverify',
                `--tlscacert=${tls.ca}`,
                `--tlscert=${tls.cert}`,
                `--tlskey=${tls.key}`,
              ]
            : []),
        ],
        { stdio: 'ignore' },
      );
      for (let attempt = 0; attempt < 600; attempt++) {
        if (await ping(socketPath)) return;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the private dockerd did not become ready');
    },
    async stop() {
      const current = child;
      if (!current || current.exitCode !== null) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill('SIGTERM');
      await exited;
      child = undefined;
    },
    async close() {
      await daemon.stop();
      process.off('exit', onExit);
      // dockerd leaves its network namespace, and sometimes its data root, mounted.
      for (const mount of [join(dir, 'exec', 'netns', 'default'), join(dir, 'data')]) {
        try {
          execFileSync('umount', [mount], { stdio: 'ignore' });
        } catch {
          // Not mounted: nothing to release.
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await daemon.start();
  return daemon;
}
