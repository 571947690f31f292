/**
 * A base image made from this machine's own Node, for building the Dockerfile where no registry
 * can be reached: a rootfs with `node`, the libraries `ldd` lists, npm, and `/usr/bin/env` (npm's
 * shebang), laid out like Node's official images (`/usr/local/bin/node`), then `docker import`ed.
 */
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { DockerDaemon } from '../../../support/docker-daemon.js';

const run = promisify(execFile);

export async function importLocalNodeImage(docker: DockerDaemon, tag: string): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'aff-rootfs-'));
  try {
    const node = await realpath(process.execPath);
    await copyInto(root, node, '/usr/local/bin/node');
    const { stdout } = await run('ldd', [node]);
    for (const lib of stdout.matchAll(/(\/\S+)/g)) await copyInto(root, lib[1]!, lib[1]!);
    // npm: the package directory next to node's prefix, wherever this machine keeps it.
    const npmCli = await realpath((await run('sh', ['-c', 'command -v npm'])).stdout.trim());
    const npmDir = dirname(dirname(npmCli));
    await cp(npmDir, join(root, 'usr/local/lib/node_modules/npm'), { recursive: true, dereference: true });
    await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'));
    // npm-cli.js starts with `#!/usr/bin/env node`; a static busybox provides `env` (and `sh`).
    await copyInto(root, '/usr/bin/busybox', '/usr/bin/busybox');
    await symlink('busybox', join(root, 'usr/bin/env'));
    await mkdir(join(root, 'bin'), { recursive: true });
    await symlink('/usr/bin/busybox', join(root, 'bin/sh'));
    await mkdir(join(root, 'tmp'), { recursive: true });
    await chmod(join(root, 'tmp'), 0o1777);
    await mkdir(join(root, 'etc'), { recursive: true });
    await writeFile(
      join(root, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n',
    );
    await writeFile(join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
    await mkdir(join(root, 'home/node'), { recursive: true });
    // Only root can give it away; elsewhere (a CI runner) the home directory's owner is cosmetic.
    if (process.getuid?.() === 0) await run('chown', ['1000:1000', join(root, 'home/node')]);
    const tar = join(dirname(root), `${tag.replace(/\W/g, '-')}.tar`);
    await run('tar', ['-C', root, '-cf', tar, '.']);
    try {
      await docker.docker([
        'import',
        '--change',
        'ENV PATH=/usr/local/bin:/usr/bin:/bin',
        '--change',
        'ENV HOME=/root',
        tar,
        tag,
      ]);
    } finally {
      await rm(tar, { force: true });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function copyInto(root: string, from: string, to: string): Promise<void> {
  await mkdir(join(root, dirname(to)), { recursive: true });
  // ldd may list a symlink (libc.so.6 → libc-2.36.so): copy what it points at, under its name.
  await cp(from, join(root, to), { dereference: true });
}
