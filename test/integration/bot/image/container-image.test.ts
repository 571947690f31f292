/**
 * The Dockerfile, built and run for real, offline: the base image is this machine's own Node
 * (`docker import`), npm installs from the machine's npm cache put in the build context, and
 * containers use the host's network. In the container, `affineur --help` answers and
 * `affineur bot` serves /healthz, which the image's own HEALTHCHECK then reports as healthy.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DockerDaemon, dockerDaemon, stopDockerDaemon } from '../../../support/docker-daemon.js';
import { freePort } from '../../../support/services.js';
import { importLocalNodeImage } from './local-node-image.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../../../..');
const suffix = randomBytes(4).toString('hex');
const baseTag = `affineur-test-node:${suffix}`;
const imageTag = `affineur-test:${suffix}`;
const notInContext = new Set(['node_modules', '.git', 'test', 'bench', 'coverage', 'dist', '.npm-cache']);

describe('the container image', { timeout: 600_000 }, () => {
  let docker: DockerDaemon;
  let context: string;
  const containers: string[] = [];

  beforeAll(async () => {
    docker = await dockerDaemon();
    await importLocalNodeImage(docker, baseTag);
    context = await mkdtemp(join(tmpdir(), 'aff-image-context-'));
    await cp(repoRoot, context, {
      recursive: true,
      filter: (source) => !notInContext.has(basename(source)) || source === repoRoot,
    });
    // The machine's npm cache, hard-linked (same filesystem) or copied: npm ci needs no registry.
    const { stdout } = await run('npm', ['config', 'get', 'cache']);
    await mkdir(join(context, '.npm-cache'));
    await run('cp', ['-al', join(stdout.trim(), '_cacache'), join(context, '.npm-cache/_cacache')]).catch(
      () => cp(join(stdout.trim(), '_cacache'), join(context, '.npm-cache/_cacache'), { recursive: true }),
    );
    await docker.docker(['build', '--build-arg', `BASE_IMAGE=${baseTag}`, '-t', imageTag, context]);
  }, 900_000);

  afterAll(async () => {
    for (const id of containers) await docker?.docker(['rm', '-f', id]).catch(() => {});
    await docker?.docker(['rmi', '-f', imageTag, baseTag]).catch(() => {});
    if (context) await rm(context, { recursive: true, force: true });
    await stopDockerDaemon();
  }, 120_000);

  it('answers `affineur --help`, runs as a non-root user, and holds production dependencies only', async () => {
    const help = await docker.docker(['run', '--rm', '--network', 'host', imageTag, '--help']);
    expect(help).toContain('Usage: affineur <command>');
    expect(help).toMatch(/^\s+bot\s/m);
    const user = await docker.docker(['inspect', '--format', '{{.Config.User}}', imageTag]);
    expect(user.trim()).toBe('1000:1000');
    const resolved = await docker.docker([
      'run',
      '--rm',
      '--network',
      'host',
      '--entrypoint',
      'node',
      imageTag,
      '-e',
      "for (const m of ['probot', 'vitest']) { try { import.meta.resolve(m); console.log(m, 'yes') } catch { console.log(m, 'no') } }",
      '--input-type=module',
    ]);
    expect(resolved).toContain('probot yes');
    expect(resolved).toContain('vitest no');
  });

  it('serves /healthz from `affineur bot`, and the image HEALTHCHECK reports healthy', async () => {
    const port = await freePort();
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const id = (
      await docker.docker([
        'run',
        '-d',
        '--network',
        'host',
        // The image's interval is 30 s; a short one here only makes the test quicker.
        '--health-interval',
        '1s',
        '--health-start-period',
        '1s',
        '-e',
        `PORT=${port}`,
        '-e',
        'HOST=127.0.0.1',
        '-e',
        'APP_ID=1',
        '-e',
        `PRIVATE_KEY=${key}`,
        '-e',
        'WEBHOOK_SECRET=image-test',
        imageTag,
        'bot',
      ])
    ).trim();
    containers.push(id);
    let health: Response | undefined;
    for (let attempt = 0; attempt < 300 && !health; attempt++) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (!health) await new Promise((r) => setTimeout(r, 200));
    }
    expect(health?.status).toBe(200);
    expect(await health?.json()).toMatchObject({ status: 'ok', app: 'ok' });
    let status = '';
    for (let attempt = 0; attempt < 120 && status !== 'healthy'; attempt++) {
      status = (await docker.docker(['inspect', '--format', '{{.State.Health.Status}}', id])).trim();
      if (status !== 'healthy') await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe('healthy');
  });
});
