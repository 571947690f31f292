import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../../../../src/forge/api/routes.js';
import { Router } from '../../../../../src/forge/http/router.js';

describe('Router', () => {
  it('captures segments, greedy `+` rests and optional `*` rests, decoded', () => {
    const router = new Router<string>();
    router.add('GET', '/repos/{owner}/{repo}/contents/{path*}', 'contents');
    router.add('GET', '/repos/{owner}/{repo}/git/ref/{ref+}', 'ref');
    expect(router.match('GET', '/repos/a/b/contents/docs/a%20b.md')).toEqual({
      handler: 'contents',
      params: { owner: 'a', repo: 'b', path: 'docs/a b.md' },
    });
    expect(router.match('GET', '/repos/a/b/contents')).toMatchObject({ params: { path: '' } });
    expect(router.match('GET', '/repos/a/b/contents/')).toMatchObject({ params: { path: '' } });
    expect(router.match('GET', '/repos/a/b/git/ref/heads/feature/x')).toMatchObject({
      params: { ref: 'heads/feature/x' },
    });
    expect(router.match('GET', '/repos/a/b/git/ref/')).toBeUndefined();
  });

  it('tells a path that exists for other methods apart from an unknown one', () => {
    const router = new Router<string>();
    router.add('GET', '/user', 'user');
    expect(router.match('DELETE', '/user')).toBe('method');
    expect(router.match('GET', '/nope')).toBeUndefined();
  });
});

describe('the forge route table', () => {
  it('reaches every route: no earlier pattern shadows a later one', () => {
    const routes = allRoutes();
    const router = new Router<number>();
    for (const [index, route] of routes.entries()) router.add(route.method, route.path, index);
    routes.forEach((route, index) => {
      // A concrete path for the pattern: each parameter becomes a sample value.
      const path = route.path.replace(/\{([a-z_]+)[+*]?\}/g, (_m, name: string) =>
        name.endsWith('number') || name.endsWith('_id') ? '7' : `sample-${name}`,
      );
      const found = router.match(route.method, path);
      expect(found, `${route.method} ${route.path} is reached`).toMatchObject({ handler: index });
    });
  });
});
