/**
 * The cheese-named release flow end to end, against the sandbox forge with real git pushes:
 * merged pull requests, a `/release` comment, the bot's "Prepare release" PR, its merge, the
 * annotated tag and the GitHub release; patches from the release branch with their merge-back;
 * a new line with a new cheese; a release finished by the sweep; idempotent re-publishing; and
 * the `affineur release` CLI against the same API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitClient } from '../../../support/forge-git.js';
import { affineur } from '../../../support/run-affineur.js';
import { type ReleaseFlowRig, startReleaseFlowRig } from './release-flow-kit.js';

let rig: ReleaseFlowRig;
let work: GitClient;
const repo = () => ({ owner: rig.owner, repo: rig.repo });
const maintainer = () => rig.as('maintainer');

beforeAll(async () => {
  rig = await startReleaseFlowRig(['maintainer', 'visitor'], 'widgets');
  const admin = rig.as('admin');
  await admin.rest.repos.addCollaborator({ ...repo(), username: 'maintainer', permission: 'push' });
  await admin.rest.repos.addCollaborator({ ...repo(), username: 'visitor', permission: 'pull' });
  work = await rig.clone('maintainer');
  await work.commitFile(
    'package.json',
    '{\n  "name": "widgets",\n  "version": "0.0.0"\n}\n',
    'Add package.json',
  );
  await work.run('push', '--quiet', 'origin', 'main');
  await rig.settle();
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

/** Pushes a branch with one commit, opens a PR with labels, and merges it through the API. */
async function mergedPullRequest(options: {
  branch: string;
  base?: string;
  file: string;
  title: string;
  labels: string[];
}): Promise<number> {
  const base = options.base ?? 'main';
  await work.run('fetch', '--quiet', 'origin');
  await work.run('checkout', '--quiet', '-B', options.branch, `origin/${base}`);
  await work.commitFile(options.file, `${options.title}\n`, options.title);
  await work.run('push', '--quiet', 'origin', options.branch);
  const { data: pr } = await maintainer().rest.pulls.create({
    ...repo(),
    head: options.branch,
    base,
    title: options.title,
  });
  await maintainer().rest.issues.addLabels({ ...repo(), issue_number: pr.number, labels: options.labels });
  await maintainer().rest.pulls.merge({ ...repo(), pull_number: pr.number, merge_method: 'squash' });
  await rig.settle();
  return pr.number;
}

async function comment(login: string, issue: number, body: string): Promise<void> {
  await rig.as(login).rest.issues.createComment({ ...repo(), issue_number: issue, body });
  await rig.settle();
}

async function commentsOn(issue: number): Promise<{ user: string; body: string }[]> {
  const { data } = await maintainer().rest.issues.listComments({ ...repo(), issue_number: issue });
  return data.map((c) => ({ user: c.user?.login ?? '', body: c.body ?? '' }));
}

async function openReleasePullRequest(tag: string) {
  const { data } = await maintainer().rest.pulls.list({
    ...repo(),
    state: 'open',
    head: `admin:release/${tag}`,
  });
  expect(data).toHaveLength(1);
  return data[0]!;
}

async function fileAt(path: string, ref: string): Promise<string> {
  await work.run('fetch', '--quiet', '--tags', 'origin');
  return work.run('show', `${ref}:${path}`);
}

async function releaseOf(tag: string) {
  return (await maintainer().rest.repos.getReleaseByTag({ ...repo(), tag })).data;
}

async function mergeReleasePullRequest(tag: string): Promise<number> {
  const pr = await openReleasePullRequest(tag);
  await maintainer().rest.pulls.merge({ ...repo(), pull_number: pr.number, merge_method: 'merge' });
  await rig.settle();
  return pr.number;
}

let firstCodename = '';

// Each scenario drives dozens of webhook round trips and git writes; on a loaded 2-core machine
// that takes a while, so the timeout is generous (nothing here asserts on time).
describe('the release flow from the bot', { timeout: 240_000 }, () => {
  it('a. releases v0.1.0 with a new cheese from three merged pull requests and `/release minor`', async () => {
    await mergedPullRequest({
      branch: 'retry',
      file: 'middleware/retry.txt',
      title: 'Add a retry middleware',
      labels: ['kind/enhancement', 'area/middleware'],
    });
    await mergedPullRequest({
      branch: 'docker-fix',
      file: 'provider/docker.txt',
      title: 'Fix container labels on restart',
      labels: ['kind/bug/fix', 'area/provider/docker'],
    });
    await mergedPullRequest({
      branch: 'docs',
      file: 'docs/routing.md',
      title: 'Document the routing rules',
      labels: ['area/documentation'],
    });
    const { data: issue } = await maintainer().rest.issues.create({ ...repo(), title: 'Release 0.1' });

    // Someone without write access is refused, politely, and nothing happens.
    await comment('visitor', issue.number, '/release minor');
    expect((await commentsOn(issue.number)).at(-1)?.body).toMatch(
      /^Thanks @visitor! Only people with write access/,
    );
    expect((await maintainer().rest.pulls.list({ ...repo(), state: 'open' })).data).toHaveLength(0);

    await comment('maintainer', issue.number, '/release minor');
    const pr = await openReleasePullRequest('v0.1.0');
    expect(pr.title).toBe('Prepare release v0.1.0');
    expect(pr.base.ref).toBe('main');
    expect(pr.labels.map((l) => l.name)).toEqual(
      expect.arrayContaining(['area/documentation', 'bot/light-review', 'size/S']),
    );
    const slug = /aka `([a-z0-9]+)`/.exec(pr.body ?? '')?.[1];
    expect(slug).toBeDefined();
    expect((await commentsOn(issue.number)).at(-1)?.body).toContain(
      `Opened #${pr.number}: **Prepare release v0.1.0**`,
    );

    const head = `origin/release/v0.1.0`;
    expect(JSON.parse(await fileAt('package.json', head))).toEqual({ name: 'widgets', version: '0.1.0' });
    expect(JSON.parse(await fileAt('release/codenames.json', head))).toEqual({ 'v0.1': slug });
    const changelog = await fileAt('CHANGELOG.md', head);
    expect(changelog).toMatch(
      /^## \[v0\.1\.0\]\(http:\/\/127\.0\.0\.1:\d+\/admin\/widgets\/tree\/v0\.1\.0\) \(\d{4}-\d{2}-\d{2}\)\n/,
    );
    expect(changelog).toContain('**Enhancements:**\n- **[middleware]** Add a retry middleware ([#1]');
    expect(changelog).toContain('**Bug fixes:**\n- **[docker]** Fix container labels on restart ([#2]');
    expect(changelog).toContain('**Documentation:**\n- Document the routing rules ([#3]');

    const number = await mergeReleasePullRequest('v0.1.0');
    const { data: merged } = await maintainer().rest.pulls.get({ ...repo(), pull_number: number });
    const release = await releaseOf('v0.1.0');
    firstCodename = /^v0\.1\.0 \((.+)\)$/.exec(release.name ?? '')?.[1] ?? '';
    expect(firstCodename).not.toBe('');
    expect(release.prerelease).toBe(false);
    expect(release.body).toContain('**Enhancements:**\n- **[middleware]** Add a retry middleware');
    expect(release.body).toContain('**Bug fixes:**\n- **[docker]** Fix container labels on restart');
    // The annotated tag, read with real git, marks the merge commit and names the cheese.
    await work.run('fetch', '--quiet', '--tags', 'origin');
    expect(await work.run('cat-file', '-t', 'v0.1.0')).toBe('tag');
    expect(await work.run('rev-parse', 'v0.1.0^{commit}')).toBe(merged.merge_commit_sha);
    expect(await work.run('tag', '-l', '--format=%(contents)', 'v0.1.0')).toBe(
      `v0.1.0 (${firstCodename})\n\ncodename: ${slug}`,
    );
    // The new line's release branch starts at the tag.
    expect((await maintainer().rest.repos.getBranch({ ...repo(), branch: 'v0.1' })).data.commit.sha).toBe(
      merged.merge_commit_sha,
    );
    expect((await commentsOn(number)).at(-1)?.body).toContain(`Published **[v0.1.0 (${firstCodename})](`);
  });

  it('b. releases the patch v0.1.1 from the v0.1 branch with the same cheese, and opens the merge-back', async () => {
    await mergedPullRequest({
      branch: 'docker-fix-2',
      base: 'v0.1',
      file: 'provider/docker.txt',
      title: 'Fix the network of stopped containers',
      labels: ['kind/bug/fix', 'area/provider/docker'],
    });
    const { data: issue } = await maintainer().rest.issues.create({ ...repo(), title: 'Release 0.1.1' });
    await comment('maintainer', issue.number, '/release patch');
    const pr = await openReleasePullRequest('v0.1.1');
    expect(pr.base.ref).toBe('v0.1');
    const changelog = await fileAt('CHANGELOG.md', 'origin/release/v0.1.1');
    expect(changelog).toMatch(/^## \[v0\.1\.1\]/);
    expect(changelog).toContain('- **[docker]** Fix the network of stopped containers');
    expect(changelog.split('\n## [')[0]).not.toContain('Add a retry middleware');

    await mergeReleasePullRequest('v0.1.1');
    expect((await releaseOf('v0.1.1')).name).toBe(`v0.1.1 (${firstCodename})`);
    const { data: mergeBacks } = await maintainer().rest.pulls.list({
      ...repo(),
      state: 'open',
      head: 'admin:v0.1',
      base: 'main',
    });
    expect(mergeBacks).toHaveLength(1);
    expect(mergeBacks[0]?.labels.map((l) => l.name)).toEqual(
      expect.arrayContaining(['bot/merge-method-ff', 'bot/light-review']),
    );
  });

  it('c. names the next minor after a never-used cheese, even when its publish is left to the sweep', async () => {
    await mergedPullRequest({
      branch: 'headers',
      file: 'middleware/headers.txt',
      title: 'Add a headers middleware',
      labels: ['kind/enhancement', 'area/middleware'],
    });
    const { data: issue } = await maintainer().rest.issues.create({ ...repo(), title: 'Release 0.2' });
    await comment('maintainer', issue.number, '/release minor');

    // The bot is down while the release PR merges: its webhook is lost.
    await rig.deafen();
    await mergeReleasePullRequest('v0.2.0');
    await expect(maintainer().rest.repos.getReleaseByTag({ ...repo(), tag: 'v0.2.0' })).rejects.toMatchObject(
      {
        status: 404,
      },
    );

    // The next push to the default branch sweeps the unfinished release.
    await rig.listen();
    await work.run('fetch', '--quiet', 'origin');
    await work.run('checkout', '--quiet', '-B', 'main', 'origin/main');
    await work.commitFile('NOTES.md', 'notes\n', 'Add notes');
    await work.run('push', '--quiet', 'origin', 'main');
    await rig.settle();

    const release = await releaseOf('v0.2.0');
    const codename = /^v0\.2\.0 \((.+)\)$/.exec(release.name ?? '')?.[1];
    expect(codename).toBeDefined();
    expect(codename).not.toBe(firstCodename);
    expect(release.body).toContain('- **[middleware]** Add a headers middleware');
    expect(release.body).not.toContain('Add a retry middleware');
    const codenames = JSON.parse(await fileAt('release/codenames.json', 'v0.2.0'));
    expect(Object.keys(codenames)).toEqual(['v0.1', 'v0.2']);
    expect(codenames['v0.2']).not.toBe(codenames['v0.1']);
  });

  it('d. re-running publish for a finished release changes nothing (CLI against the forge)', async () => {
    const before = {
      tags: (await maintainer().rest.repos.listTags({ ...repo() })).data.map(
        (t) => `${t.name}@${t.commit.sha}`,
      ),
      releases: (await maintainer().rest.repos.listReleases({ ...repo() })).data.map(
        (r) => `${r.id}:${r.name}`,
      ),
      pulls: (await maintainer().rest.pulls.list({ ...repo(), state: 'all' })).data.length,
    };
    const run = await affineur(
      process.cwd(),
      'release',
      'publish',
      '--version',
      'v0.1.0',
      '--repo',
      'admin/widgets',
      '--token',
      rig.token('maintainer'),
      '--api-url',
      rig.forge.apiUrl,
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`Publish v0.1.0 (${firstCodename})`);
    expect(run.out).not.toMatch(/: done$/m);
    expect(run.out).toMatch(/create annotated tag v0\.1\.0 at [0-9a-f]{12}: already done/);
    const after = {
      tags: (await maintainer().rest.repos.listTags({ ...repo() })).data.map(
        (t) => `${t.name}@${t.commit.sha}`,
      ),
      releases: (await maintainer().rest.repos.listReleases({ ...repo() })).data.map(
        (r) => `${r.id}:${r.name}`,
      ),
      pulls: (await maintainer().rest.pulls.list({ ...repo(), state: 'all' })).data.length,
    };
    expect(after).toEqual(before);

    // The bot's sweep on the next push finds nothing to do, and says nothing.
    const { data: closed } = await maintainer().rest.pulls.list({
      ...repo(),
      state: 'closed',
      per_page: 100,
    });
    const releasePulls = closed.filter((p) => p.title.startsWith('Prepare release')).map((p) => p.number);
    const commentCounts = async () =>
      Promise.all(releasePulls.map(async (n) => (await commentsOn(n)).length));
    const countsBefore = await commentCounts();
    await work.run('fetch', '--quiet', 'origin');
    await work.run('checkout', '--quiet', '-B', 'main', 'origin/main');
    await work.commitFile('NOTES.md', 'more notes\n', 'Add more notes');
    await work.run('push', '--quiet', 'origin', 'main');
    await rig.settle();
    expect(releasePulls).toHaveLength(3);
    expect(await commentCounts()).toEqual(countsBefore);
    expect(
      (await maintainer().rest.repos.listReleases({ ...repo() })).data.map((r) => `${r.id}:${r.name}`),
    ).toEqual(before.releases);
  });

  it('plans the next release with `node bin/affineur.js release plan` against the forge', async () => {
    const { execFile } = await import('node:child_process');
    const { out, err } = await new Promise<{ out: string; err: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          'bin/affineur.js',
          'release',
          'plan',
          '--repo',
          'admin/widgets',
          '--token',
          rig.token('maintainer'),
          '--api-url',
          rig.forge.apiUrl,
          '--branch',
          'v0.2',
          '--bump',
          'patch',
        ],
        { env: { PATH: process.env.PATH } },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ out: stdout, err: stderr }),
      ),
    );
    expect(out).toMatch(/^Release v0\.2\.1 "[^"]+" \([a-z0-9]+: the codename of line v0\.2\)$/m);
    expect(out).not.toContain(rig.token('maintainer'));
    expect(err).toBe('');
  });
});
