import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../../../src/forge/forge-context.js';
import { paginate } from '../../../../../src/forge/http/paginate.js';

const urls = { api: 'http://forge.test/api/v3', web: 'http://forge.test' };
const request = (query: string): ApiRequest => ({
  method: 'GET',
  path: '/repos/o/r/issues',
  params: {},
  query: new URLSearchParams(query),
  body: undefined,
  principal: { kind: 'anonymous' },
  headers: {},
});
const items = Array.from({ length: 7 }, (_, i) => i + 1);

describe('paginate', () => {
  it('serves 30 per page by default with no Link header when everything fits', () => {
    expect(paginate(urls, request(''), items)).toEqual({ status: 200, body: items });
  });

  it('slices pages and links next/last and first/prev as GitHub does, keeping other query parameters', () => {
    const middle = paginate(urls, request('state=all&per_page=3&page=2'), items);
    expect(middle.body).toEqual([4, 5, 6]);
    const link = middle.headers?.link ?? '';
    expect(link).toContain(
      '<http://forge.test/api/v3/repos/o/r/issues?state=all&per_page=3&page=3>; rel="next"',
    );
    expect(link).toContain('page=3>; rel="last"');
    expect(link).toContain('page=1>; rel="first"');
    expect(link).toContain('page=1>; rel="prev"');
    expect(paginate(urls, request('per_page=3&page=3'), items).body).toEqual([7]);
    expect(paginate(urls, request('per_page=3&page=9'), items).body).toEqual([]);
  });

  it('clamps per_page to 1..100 and ignores garbage', () => {
    expect((paginate(urls, request('per_page=1000'), items).body as number[]).length).toBe(7);
    expect(paginate(urls, request('per_page=abc&page=-4'), items).body).toEqual(items);
  });

  it('wraps a page for search-style envelopes', () => {
    const wrapped = paginate(urls, request('per_page=2'), items, (page) => ({ total_count: 7, items: page }));
    expect(wrapped.body).toEqual({ total_count: 7, items: [1, 2] });
  });
});
