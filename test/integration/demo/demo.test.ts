/** The README's first command, run as a user runs it: the real CLI, every act, no network. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = (args: string[]) =>
  promisify(execFile)(process.execPath, ['bin/affineur.js', 'demo', ...args], {
    cwd: new URL('../../../', import.meta.url),
    timeout: 120_000,
  });

describe('affineur demo', () => {
  it('runs the proxy act: routing, load balancing, live reloads with no failed request', async () => {
    const { stdout } = await run(['--act=proxy']);
    expect(stdout).toContain('blue answered GET /cart for shop.localhost');
    expect(stdout).toContain('green answered GET /cart for shop.localhost');
    expect(stdout).toMatch(
      /router api@file is disabled: AFF_ERR_RULE_SYNTAX: .*api\.yml:4: http\.routers\.api\.rule/,
    );
    expect(stdout).toMatch(/\d+ requests during the reloads, 0 failed/);
    expect(stdout).toContain('The demo is over');
  });

  it('runs the providers act: a Go-templated file and an HTTP endpoint, followed live, kept through an outage', async () => {
    const { stdout } = await run(['--act=providers']);
    expect(stdout).toContain('the template rendered 3 routers: api-v1@file, api-v2@file, api-v3@file');
    expect(stdout).toContain('GET /api/v2/items → catalog answered GET /api/v2/items');
    expect(stdout).toContain('GET /stock/1 (from the HTTP endpoint) → catalog answered GET /stock/1');
    expect(stdout).toContain('GET /stock/1 → 404 (route gone)');
    // After the endpoint stopped, the last good routing still answers.
    expect(stdout).toMatch(/Stop the endpoint[\s\S]*GET \/orders\/7 → catalog answered GET \/orders\/7/);
    expect(stdout).toContain('The demo is over');
  });

  it('runs the https act: SNI, the generated default certificate, redirection, HTTP/2', async () => {
    const { stdout } = await run(['--act=https']);
    expect(stdout).toMatch(/SNI shop\.localhost → certificate CN=shop\.localhost, TLSv1\.3, ALPN h2/);
    expect(stdout).toContain('SNI unknown.localhost → certificate CN=TRAEFIK DEFAULT CERT');
    expect(stdout).toContain('GET http://shop.localhost/cart → 301');
    expect(stdout).toContain('HTTP/2 200: shop answered GET /cart for shop.localhost');
    expect(stdout).toContain('The demo is over');
  });

  it('runs the community act: triage, the merge queue with a rebase, and a cheese-named release', async () => {
    const { stdout } = await run(['--act=community']);
    expect(stdout).toMatch(/issue #1 labelled status\/0-needs-triage/);
    expect(stdout).toMatch(/"feat: add a brie middleware" → .*area\/middleware.*kind\/enhancement.*size\/S/);
    expect(stdout).toMatch(
      /"fix: keep the docker labels of a restarted container" → .*area\/provider\/docker/,
    );
    expect(stdout).toMatch(/merged as [0-9a-f]{7} \(the bot rebased it first, then CI ran again\)/);
    expect(stdout).toContain('✓ **Reviews**: 1 of 1 approval');
    expect(stdout).toMatch(/tag v0\.1\.0, release "v0\.1\.0 \(.+\)"/);
    expect(stdout).toContain('**Enhancements:**');
    // The conventional prefix goes: the entry's section already says it is a fix.
    expect(stdout).toContain('- **[docker]** Keep the docker labels of a restarted container (');
    expect(stdout).toContain('- **[middleware]** Add a brie middleware (');
    expect(stdout).toContain('The demo is over');
  });

  it('refuses an unknown act', async () => {
    await expect(run(['--act=juggling'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown act'),
    });
  });
});
