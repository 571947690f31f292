/**
 * The writer checked against real sections of traefik/traefik's CHANGELOG.md. The pull-request
 * data (numbers, titles, authors, labels) is reconstructed from the entries, and fed in shuffled:
 * the writer must find Traefik's sections, sort and link shapes by itself.
 *
 * Two deliberate differences from the 2024 text, both required by our issue: area tags are
 * joined with ", " (Traefik's newer sections do so; these older ones used ","), and merge-back
 * pull requests are left out (Traefik listed them under Misc).
 */
import { describe, expect, it } from 'vitest';
import type { MergedPullRequest } from '../../../../release/changelog/changelog-entry.js';
import { entryFromPullRequest } from '../../../../release/changelog/changelog-entry.js';
import { renderChangelogSection } from '../../../../release/changelog/render-changelog-section.js';
import { authorUrl, pullUrl, repositoryLinks } from '../../../../release/changelog/repository-links.js';

const links = repositoryLinks('https://github.com', 'traefik', 'traefik');
const entryLinks = { pull: (n: number) => pullUrl(links, n), author: (l: string) => authorUrl(links, l) };

let clock = 0;
/** A merged PR; later calls are merged earlier, so the list reads newest first like Traefik's. */
function pr(
  number: number,
  title: string,
  author: string,
  labels: string[],
  headRef = 'fix-branch',
): MergedPullRequest {
  clock++;
  return {
    number,
    title,
    author,
    labels,
    mergedAt: new Date(Date.UTC(2024, 9, 30) - clock * 60_000).toISOString(),
    headRef,
    baseRef: 'v3.2',
    mergeCommitSha: null,
  };
}

function render(tag: string, previousTag: string, date: string, prs: MergedPullRequest[]): string {
  // Newest merge first, as the plan orders them; the sections and area order are the writer's job.
  const newestFirst = [...prs].sort((a, b) => b.mergedAt.localeCompare(a.mergedAt));
  const entries = newestFirst.flatMap((p) => entryFromPullRequest(p, entryLinks) ?? []);
  return renderChangelogSection({ tag, previousTag, date, links }, entries);
}

/** Traefik's 2024 sections joined areas with ","; ours (and Traefik's since 2025) use ", ". */
const withSpacedAreas = (text: string) =>
  text.replace(/\*\*\[([^\]]+)\]\*\*/g, (_m, a: string) => `**[${a.split(',').join(', ')}]**`);

describe('changelog sections in the shape of traefik/traefik CHANGELOG.md', () => {
  it('writes v3.2.1: bug fixes and documentation with multi-area tags', () => {
    const reference =
      withSpacedAreas(`## [v3.2.1](https://github.com/traefik/traefik/tree/v3.2.1) (2024-11-20)
[All Commits](https://github.com/traefik/traefik/compare/v3.2.0...v3.2.1)

**Bug fixes:**
- **[k8s/ingress,k8s]** Fix HostRegexp config for rule syntax v2 ([#11288](https://github.com/traefik/traefik/pull/11288) by [kevinpollet](https://github.com/kevinpollet))
- **[logs]** Change level of peeking first byte error log to DEBUG for Postgres ([#11270](https://github.com/traefik/traefik/pull/11270) by [rtribotte](https://github.com/rtribotte))
- **[service,fastproxy]** Fix case problem for websocket upgrade ([#11246](https://github.com/traefik/traefik/pull/11246) by [juliens](https://github.com/juliens))

**Documentation:**
- **[acme,tls]** Document how to use Certificates of cert-manager ([#11053](https://github.com/traefik/traefik/pull/11053) by [mloiseleur](https://github.com/mloiseleur))
- **[docker/swarm]** Add tips about the use of docker in dynamic configuration for swarm provider ([#11207](https://github.com/traefik/traefik/pull/11207) by [webash](https://github.com/webash))
- **[middleware]** Add Compress middleware to migration guide ([#11229](https://github.com/traefik/traefik/pull/11229) by [logica0419](https://github.com/logica0419))
`);
    const prs = [
      pr(11290, 'Merge branch v2.11 into v3.2', 'kevinpollet', [], 'v2.11'),
      pr(11288, 'Fix HostRegexp config for rule syntax v2', 'kevinpollet', [
        'kind/bug/fix',
        'area/provider/k8s/ingress',
        'area/provider/k8s',
      ]),
      pr(11229, 'Add Compress middleware to migration guide', 'logica0419', [
        'area/documentation',
        'area/middleware',
      ]),
      pr(11270, 'Change level of peeking first byte error log to DEBUG for Postgres', 'rtribotte', [
        'kind/bug/fix',
        'area/logs',
      ]),
      pr(11207, 'Add tips about the use of docker in dynamic configuration for swarm provider', 'webash', [
        'area/documentation',
        'area/provider/docker/swarm',
      ]),
      pr(11246, 'Fix case problem for websocket upgrade', 'juliens', [
        'kind/bug/fix',
        'area/service',
        'area/fastproxy',
      ]),
      pr(11053, 'Document how to use Certificates of cert-manager', 'mloiseleur', [
        'area/documentation',
        'area/acme',
        'area/tls',
      ]),
      pr(11268, 'Merge branch v2.11 into v3.2', 'kevinpollet', ['bot/merge-method-ff'], 'v2.11'),
    ];
    expect(render('v3.2.1', 'v3.2.0', '2024-11-20', prs)).toBe(reference);
  });

  it('writes v3.2.0-rc2: a release candidate, entries of one area in merge order, untagged entries', () => {
    const reference =
      withSpacedAreas(`## [v3.2.0-rc2](https://github.com/traefik/traefik/tree/v3.2.0-rc2) (2024-10-09)
[All Commits](https://github.com/traefik/traefik/compare/v3.2.0-rc1...v3.2.0-rc2)

**Enhancements:**
- **[k8s,k8s/gatewayapi]** Bump sigs.k8s.io/gateway-api to v1.2.0 ([#11167](https://github.com/traefik/traefik/pull/11167) by [rtribotte](https://github.com/rtribotte))

**Bug fixes:**
- **[k8s,k8s/gatewayapi]** Support http and https appProtocol for Kubernetes Service ([#11176](https://github.com/traefik/traefik/pull/11176) by [WillDaSilva](https://github.com/WillDaSilva))
- **[k8s,k8s/gatewayapi]** Avoid updating Accepted status for routes matching no Gateways ([#11170](https://github.com/traefik/traefik/pull/11170) by [rtribotte](https://github.com/rtribotte))
- **[k8s,k8s/gatewayapi]** Do not update gateway status when not selected by a gateway class ([#11169](https://github.com/traefik/traefik/pull/11169) by [kevinpollet](https://github.com/kevinpollet))

**Documentation:**
- Detail CRD update with v3.2 in the migration guide ([#11164](https://github.com/traefik/traefik/pull/11164) by [mloiseleur](https://github.com/mloiseleur))
`);
    const gateway = ['area/provider/k8s', 'area/provider/k8s/gatewayapi'];
    const prs = [
      pr(11181, 'Merge branch v3.1 into v3.2', 'kevinpollet', [], 'v3.1'),
      pr(11182, 'Prepare release v3.2.0-rc2', 'kevinpollet', ['area/documentation']),
      pr(11176, 'Support http and https appProtocol for Kubernetes Service', 'WillDaSilva', [
        'kind/bug/fix',
        ...gateway,
      ]),
      pr(11170, 'Avoid updating Accepted status for routes matching no Gateways', 'rtribotte', [
        'kind/bug/fix',
        ...gateway,
      ]),
      pr(11169, 'Do not update gateway status when not selected by a gateway class', 'kevinpollet', [
        'kind/bug/fix',
        ...gateway,
      ]),
      pr(11167, 'Bump sigs.k8s.io/gateway-api to v1.2.0', 'rtribotte', ['kind/enhancement', ...gateway]),
      pr(11164, 'Detail CRD update with v3.2 in the migration guide', 'mloiseleur', ['area/documentation']),
      pr(11160, 'Update the CI runners', 'ldez', ['area/infrastructure', 'kind/enhancement']),
    ];
    expect(render('v3.2.0-rc2', 'v3.2.0-rc1', '2024-10-09', prs)).toBe(reference);
  });

  it('sorts by the area tag as written, like the v3.2.0 documentation section', () => {
    // Real order: "[k8s,k8s/gatewayapi]" < "[k8s/crd,k8s]" < "[k8s/gatewayapi]" < "[k8s]", then untagged.
    const expected = withSpacedAreas(`**Documentation:**
- **[k8s,k8s/gatewayapi]** Document nativeLBByDefault annotation on Kubernetes Gateway provider ([#11209](https://github.com/traefik/traefik/pull/11209) by [mloiseleur](https://github.com/mloiseleur))
- **[k8s/crd,k8s]** Detail CRD update with v3.2 in the migration guide ([#11164](https://github.com/traefik/traefik/pull/11164) by [mloiseleur](https://github.com/mloiseleur))
- **[k8s/gatewayapi]** Add missing RBAC in the migration guide ([#11189](https://github.com/traefik/traefik/pull/11189) by [mloiseleur](https://github.com/mloiseleur))
- **[k8s]** Fix instructions for downloading CRDs of Gateway API v1.2 ([#11191](https://github.com/traefik/traefik/pull/11191) by [mloiseleur](https://github.com/mloiseleur))
- Improve the upgrade notes ([#11100](https://github.com/traefik/traefik/pull/11100) by [mloiseleur](https://github.com/mloiseleur))
`);
    const doc = (n: number, title: string, areas: string[]) =>
      pr(n, title, 'mloiseleur', ['area/documentation', ...areas.map((a) => `area/provider/${a}`)]);
    const prs = [
      doc(11100, 'Improve the upgrade notes', []),
      doc(11191, 'Fix instructions for downloading CRDs of Gateway API v1.2', ['k8s']),
      doc(11189, 'Add missing RBAC in the migration guide', ['k8s/gatewayapi']),
      doc(11164, 'Detail CRD update with v3.2 in the migration guide', ['k8s/crd', 'k8s']),
      doc(11209, 'Document nativeLBByDefault annotation on Kubernetes Gateway provider', [
        'k8s',
        'k8s/gatewayapi',
      ]),
    ];
    const section = render('v3.2.0', 'v3.2.0-rc1', '2024-10-28', prs);
    expect(section.slice(section.indexOf('**Documentation:**'))).toBe(expected);
  });
});

describe('changelog links', () => {
  it('use the repository host, for GitHub Enterprise or the sandbox forge too', () => {
    const ghe = repositoryLinks('https://ghe.example.com/', 'acme', 'proxy');
    const entry = entryFromPullRequest(
      pr(7, 'Add retry', 'octocat', ['kind/enhancement', 'platform/arm64']),
      {
        pull: (n) => pullUrl(ghe, n),
        author: (l) => authorUrl(ghe, l),
      },
    );
    expect(
      renderChangelogSection(
        { tag: 'v1.1.0', previousTag: 'v1.0.0', date: '2025-01-02', links: ghe },
        entry ? [entry] : [],
      ),
    ).toBe(`## [v1.1.0](https://ghe.example.com/acme/proxy/tree/v1.1.0) (2025-01-02)
[All Commits](https://ghe.example.com/acme/proxy/compare/v1.0.0...v1.1.0)

**Enhancements:**
- **[arm64]** Add retry ([#7](https://ghe.example.com/acme/proxy/pull/7) by [octocat](https://ghe.example.com/octocat))
`);
  });

  it('link GitHub Apps under /apps/ and escape their brackets', () => {
    const entry = entryFromPullRequest(
      pr(8, 'Bump lego', 'dependabot[bot]', ['kind/bug/fix', 'area/acme']),
      entryLinks,
    );
    const section = renderChangelogSection(
      { tag: 'v1.0.0', previousTag: null, date: '2025-01-02', links },
      entry ? [entry] : [],
    );
    expect(section).toContain('[All Commits](https://github.com/traefik/traefik/commits/v1.0.0)');
    expect(section).toContain('by [dependabot\\[bot\\]](https://github.com/apps/dependabot))');
  });
});
