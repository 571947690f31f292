/**
 * A tiny image for Docker tests, since no registry can be reached: `docker import` of a rootfs
 * holding Debian's static busybox (package busybox-static), which serves HTTP with
 * `busybox httpd -f -p PORT -h DIR`. Built once per Engine; importing is idempotent.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';

export const busyboxImage = 'affineur-test/busybox:1';

export async function ensureBusyboxImage(docker: Docker): Promise<string> {
  const images = await docker.listImages({ filters: { reference: [busyboxImage] } });
  if (images.length > 0) return busyboxImage;
  const root = mkdtempSync(join(tmpdir(), 'affineur-rootfs-'));
  try {
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'www'));
    mkdirSync(join(root, 'tmp'));
    copyFileSync('/usr/bin/busybox', join(root, 'bin', 'busybox'));
    symlinkSync('busybox', join(root, 'bin', 'sh'));
    writeFileSync(join(root, 'www', 'index.html'), 'busybox\n');
    const tar = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
    const [repo, tag] = busyboxImage.split(':') as [string, string];
    const stream = await docker.importImage(Readable.from([tar]) as unknown as string, { repo, tag });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream as NodeJS.ReadableStream, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    return busyboxImage;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Runs a busybox HTTP server on the host network at `port`, answering `body` at `/` and
 * `/health` as long as the file exists (so a test can make the health check fail).
 */
export async function runBusyboxHttp(
  docker: Docker,
  options: {
    name: string;
    port: number;
    body: string;
    labels: Record<string, string>;
    healthcheck?: boolean;
  },
): Promise<Docker.Container> {
  const script = [
    'mkdir -p /srv',
    `echo '${options.body}' > /srv/index.html`,
    'echo ok > /srv/health',
    `exec /bin/busybox httpd -f -p 127.0.0.1:${options.port} -h /srv`,
  ].join(' && ');
  const container = await docker.createContainer({
    name: options.name,
    Image: busyboxImage,
    Cmd: ['/bin/busybox', 'sh', '-c', script],
    Labels: options.labels,
    HostConfig: { NetworkMode: 'host' },
    ...(options.healthcheck
      ? {
          Healthcheck: {
            Test: [
              'CMD',
              '/bin/busybox',
              'wget',
              '-q',
              '-O',
              '/dev/null',
              `http://127.0.0.1:${options.port}/health`,
            ],
            Interval: 300_000_000,
            Timeout: 1_000_000_000,
            Retries: 1,
            StartPeriod: 0,
          },
        }
      : {}),
  });
  await container.start();
  return container;
}
