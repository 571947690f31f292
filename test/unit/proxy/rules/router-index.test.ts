import { describe, expect, it } from 'vitest';
import { compileRule } from '../../../../proxy/rules/compile-rule.js';
import {
  defaultRulePriority,
  type IndexedRoute,
  RouterIndex,
  routerPriority,
} from '../../../../proxy/rules/router-index.js';
import { request } from './request.js';

function route(name: string, rule: string, priority?: number): IndexedRoute<string> {
  return { name, rule: compileRule(rule), priority: priority ?? defaultRulePriority(rule), target: name };
}

/** What a plain scan in Traefik's order finds, to check the index against. */
function linearFind(routes: IndexedRoute<string>[], target: string): string | undefined {
  const sorted = [...routes].sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : 1));
  return sorted.find((r) => r.rule.matches(request(target)))?.name;
}

describe('defaultRulePriority', () => {
  it('is the length of the rule (Traefik v3 docs example)', () => {
    expect(defaultRulePriority('HostRegexp(`[a-z]+\\.traefik\\.com`)')).toBe(34);
    expect(defaultRulePriority('Host(`foobar.traefik.com`)')).toBe(26);
  });

  it('counts bytes, as Go len() does', () => {
    expect(defaultRulePriority('Path(`/é`)')).toBe(11);
  });

  it('does not count the stars of a positive ** wildcard', () => {
    expect(defaultRulePriority('Host(`**.example.com`)')).toBe(22 - 2);
    expect(defaultRulePriority('!Host(`**.example.com`)')).toBe(23);
  });

  it('is the plain length for a rule that does not parse', () => {
    expect(defaultRulePriority('Host(`a`')).toBe(8);
  });
});

describe('routerPriority', () => {
  it('uses the explicit priority, negative ones included, and the rule length when unset or 0', () => {
    expect(routerPriority(7, 'Path(`/`)')).toBe(7);
    expect(routerPriority(-3, 'Path(`/`)')).toBe(-3);
    expect(routerPriority(undefined, 'Path(`/`)')).toBe(9);
    expect(routerPriority(0, 'Path(`/`)')).toBe(9);
  });
});

describe('RouterIndex', () => {
  it('routes foobar.traefik.com to the longer HostRegexp rule by default (Traefik docs)', () => {
    const index = new RouterIndex([
      route('Router-1', 'HostRegexp(`[a-z]+\\.traefik\\.com`)'),
      route('Router-2', 'Host(`foobar.traefik.com`)'),
    ]);
    expect(index.find(request('https://foobar.traefik.com/'))?.name).toBe('Router-1');
  });

  it('lets an explicit priority override the rule length (Traefik docs)', () => {
    const index = new RouterIndex([
      route('Router-1', 'HostRegexp(`[a-z]+\\.traefik\\.com`)', 1),
      route('Router-2', 'Host(`foobar.traefik.com`)', 2),
    ]);
    expect(index.find(request('https://foobar.traefik.com/'))?.name).toBe('Router-2');
    expect(index.find(request('https://other.traefik.com/'))?.name).toBe('Router-1');
    expect(index.size).toBe(2);
  });

  it('prefers the longer rule among path prefixes', () => {
    const index = new RouterIndex([
      route('root', 'PathPrefix(`/`)'),
      route('api', 'PathPrefix(`/api`)'),
      route('api-v2', 'PathPrefix(`/api/v2`)'),
    ]);
    expect(index.find(request('/api/v2/x'))?.name).toBe('api-v2');
    expect(index.find(request('/api/v1/x'))?.name).toBe('api');
    expect(index.find(request('/web'))?.name).toBe('root');
  });

  it('supports negative priorities', () => {
    const index = new RouterIndex([
      route('catch-all', 'PathPrefix(`/`)', -10),
      route('other', 'Path(`/x`)', -1),
    ]);
    expect(index.find(request('/x'))?.name).toBe('other');
    expect(index.find(request('/y'))?.name).toBe('catch-all');
  });

  it('breaks ties by router name, whatever the input order', () => {
    const a = route('b@file', 'Host(`example.com`)', 5);
    const b = route('a@file', 'Host(`example.com`)', 5);
    const c = route('c@file', 'PathPrefix(`/`)', 5);
    for (const routes of [
      [a, b, c],
      [c, b, a],
      [b, c, a],
    ]) {
      expect(new RouterIndex(routes).find(request('https://example.com/'))?.name).toBe('a@file');
    }
    expect(new RouterIndex([a, c]).find(request('https://example.com/'))?.name).toBe('b@file');
  });

  it('serves an exact host before a wildcard one by default (longer rule), and the wildcard for others', () => {
    const index = new RouterIndex([
      route('wild', 'Host(`*.example.com`)'),
      route('exact', 'Host(`api.example.com`)'),
    ]);
    expect(index.find(request('https://api.example.com/'))?.name).toBe('exact');
    expect(index.find(request('https://www.example.com/'))?.name).toBe('wild');
    expect(index.find(request('https://a.b.example.com/'))).toBeUndefined();
    expect(index.find(request('https://example.com/'))).toBeUndefined();
  });

  it('lets a wildcard with a higher priority win over an exact host', () => {
    const index = new RouterIndex([
      route('wild', 'Host(`*.example.com`)', 100),
      route('exact', 'Host(`api.example.com`)'),
    ]);
    expect(index.find(request('https://API.example.com:8443/'))?.name).toBe('wild');
  });

  it('merges fallback rules (no host limit) with host rules in priority order', () => {
    const index = new RouterIndex([
      route('host', 'Host(`example.com`)', 10),
      route('high-path', 'PathPrefix(`/admin`)', 20),
      route('low-path', 'PathPrefix(`/`)', 1),
      route('not-host', '!Host(`example.com`)', 5),
    ]);
    expect(index.find(request('https://example.com/admin'))?.name).toBe('high-path');
    expect(index.find(request('https://example.com/'))?.name).toBe('host');
    expect(index.find(request('https://other.com/'))?.name).toBe('not-host');
    expect(index.find({ ...request('/'), host: '' })?.name).toBe('not-host');
  });

  it('goes on to lower priorities when the host candidate does not match', () => {
    const index = new RouterIndex([
      route('api-post', 'Host(`example.com`) && Method(`POST`)', 50),
      route('any', 'PathPrefix(`/`)', 1),
    ]);
    expect(index.find(request('https://example.com/'))?.name).toBe('any');
  });

  it('returns undefined when nothing matches, and for an empty index', () => {
    expect(new RouterIndex([route('a', 'Host(`a.com`)')]).find(request('https://b.com/'))).toBeUndefined();
    const empty = new RouterIndex<string>([]);
    expect(empty.find(request('/'))).toBeUndefined();
    expect(empty.size).toBe(0);
  });

  it('gives the same answer as a linear scan on a mixed table', () => {
    const routes = [
      route('exact', 'Host(`a.example.com`)'),
      route('exact-or', 'Host(`b.example.com`) || Host(`c.example.com`)', 30),
      route('wild', 'Host(`*.example.com`) && PathPrefix(`/w`)'),
      route('multi', 'Host(`**.example.com`)', 2),
      route('regexp', 'HostRegexp(`^c\\.`)', 29),
      route('path', 'PathPrefix(`/a`)', 26),
      route('any', 'Host(`*`)', -1),
      route('not', '!Host(`a.example.com`) && Path(`/n`)', 40),
      route('dot', 'Host(`d.example.com.`)'),
    ];
    const index = new RouterIndex(routes);
    const targets = [
      'https://a.example.com/',
      'https://a.example.com/a',
      'https://a.example.com/n',
      'https://b.example.com/n',
      'https://c.example.com/',
      'https://x.example.com/w',
      'https://x.y.example.com/w',
      'https://d.example.com./',
      'https://D.EXAMPLE.COM:81/',
      'https://example.com/',
      'https://other/a',
    ];
    for (const target of targets) {
      expect(index.find(request(target))?.name, target).toBe(linearFind(routes, target));
    }
  });

  it('indexes many host routers', () => {
    const routes = Array.from({ length: 5000 }, (_, i) => route(`r${i}`, `Host(\`host${i}.example.com\`)`));
    routes.push(route('fallback', 'PathPrefix(`/`)', 1));
    const index = new RouterIndex(routes);
    expect(index.find(request('https://host4321.example.com/'))?.name).toBe('r4321');
    expect(index.find(request('https://nohost.example.com/'))?.name).toBe('fallback');
  });
});
