import { describe, expect, it } from 'vitest';
import {
  domainCovered,
  domainsForResolver,
  nameCoveredBy,
  type RouterCertificateRequest,
} from '../../../../proxy/acme/certificate-domains.js';

const router = (
  over: Partial<RouterCertificateRequest> & { routerName: string },
): RouterCertificateRequest => ({
  certResolver: 'le',
  domains: undefined,
  hostsFromRule: [],
  ...over,
});

describe('domainsForResolver', () => {
  it("orders one certificate per router for its rule's hosts, main first", () => {
    const { domains, problems } = domainsForResolver('le', [
      router({ routerName: 'blog@file', hostsFromRule: ['blog.example.com', 'www.blog.example.com'] }),
      router({ routerName: 'other@file', certResolver: 'other', hostsFromRule: ['x.example.com'] }),
      router({ routerName: 'plain@file', certResolver: undefined, hostsFromRule: ['y.example.com'] }),
    ]);
    expect(domains).toEqual([{ main: 'blog.example.com', sans: ['www.blog.example.com'] }]);
    expect(problems).toEqual([]);
  });

  it('prefers tls.domains over the rule, one certificate per entry', () => {
    const { domains } = domainsForResolver('le', [
      router({
        routerName: 'api@file',
        hostsFromRule: ['ignored.example.com'],
        domains: [{ main: 'example.com', sans: ['*.example.com'] }, { main: 'example.org' }],
      }),
    ]);
    expect(domains).toEqual([{ main: 'example.com', sans: ['*.example.com'] }, { main: 'example.org' }]);
  });

  it('deduplicates across routers, and drops names a wildcard or a larger certificate covers', () => {
    const { domains } = domainsForResolver('le', [
      router({ routerName: 'a@file', hostsFromRule: ['a.example.com'] }),
      router({ routerName: 'b@file', hostsFromRule: ['A.Example.com.'] }),
      router({ routerName: 'c@file', domains: [{ main: '*.example.com' }] }),
      router({ routerName: 'd@file', hostsFromRule: ['example.net', 'www.example.net'] }),
      router({ routerName: 'e@file', hostsFromRule: ['www.example.net'] }),
    ]);
    expect(domains).toEqual([{ main: '*.example.com' }, { main: 'example.net', sans: ['www.example.net'] }]);
  });

  it('names the router whose request cannot be honoured, and goes on with the others', () => {
    const { domains, problems } = domainsForResolver('le', [
      router({ routerName: 'catchall@file', hostsFromRule: [] }),
      router({ routerName: 'bad@file', domains: [{ main: '*.*.example.com' }] }),
      router({ routerName: 'ok@file', hostsFromRule: ['ok.example.com'] }),
    ]);
    expect(domains).toEqual([{ main: 'ok.example.com' }]);
    expect(problems.map((p) => p.routerName)).toEqual(['bad@file', 'catchall@file']);
    expect(problems[0]?.message).toMatch(/'\*\.\*' wildcard/);
    expect(problems[1]?.message).toMatch(/no tls\.domains and its rule names no Host/);
  });
});

describe('name coverage', () => {
  it('matches exact names and one-label wildcards only', () => {
    expect(nameCoveredBy('a.example.com', 'a.example.com')).toBe(true);
    expect(nameCoveredBy('a.example.com', '*.example.com')).toBe(true);
    expect(nameCoveredBy('a.b.example.com', '*.example.com')).toBe(false);
    expect(nameCoveredBy('example.com', '*.example.com')).toBe(false);
    expect(domainCovered({ main: 'a.example.com', sans: ['example.com'] }, ['*.example.com'])).toBe(false);
    expect(
      domainCovered({ main: 'a.example.com', sans: ['example.com'] }, ['*.example.com', 'example.com']),
    ).toBe(true);
  });
});
