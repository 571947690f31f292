import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../../../src/forge/api/routes.js';
import { openApiValidator } from '../../../support/forge-harness.js';
import { validatedOperations } from '../../../support/forge-octokit.js';

/** Forge routes GitHub does not document, so no response of theirs can be checked against it. */
const undocumented = new Map<string, string>([
  [
    'GET /repos/{owner}/{repo}/statuses/{ref}',
    'the legacy spelling of GET /commits/{ref}/statuses that GitHub still answers and older clients call',
  ],
]);

/** The route table's `{name+}` / `{name*}` segments are plain `{name}` in GitHub's description. */
const template = (path: string) => path.replace(/\{([a-z_]+)[+*]\}/g, '{$1}');

export function routeCoverageTests(): void {
  describe('route coverage', () => {
    it('validated a response of every registered route against GitHub’s OpenAPI description', () => {
      const validator = openApiValidator();
      const routes = allRoutes().map((r) => `${r.method} ${template(r.path)}`);
      const notDocumented = routes.filter((r) => {
        const [method = '', path = ''] = r.split(' ');
        return !validator.documents(method, path);
      });
      expect(notDocumented.sort()).toEqual([...undocumented.keys()].sort());
      const missing = routes.filter((r) => !undocumented.has(r) && !validatedOperations.has(r));
      expect(missing).toEqual([]);
    });
  });
}
