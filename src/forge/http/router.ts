/**
 * A small method + path router. Patterns use `{name}` segments as in GitHub's OpenAPI paths
 * (`/repos/{owner}/{repo}/pulls/{pull_number}`); a trailing `{name+}` segment captures the rest
 * of the path, slashes included (git refs, file paths), and `{name*}` does the same but may be
 * empty, slash included (the repository root in `/contents/{path*}`).
 */
export interface RouteMatch<H> {
  handler: H;
  params: Record<string, string>;
}

interface CompiledRoute<H> {
  method: string;
  regex: RegExp;
  names: string[];
  handler: H;
}

export class Router<H> {
  private readonly routes: CompiledRoute<H>[] = [];

  add(method: string, pattern: string, handler: H): void {
    const names: string[] = [];
    const source = pattern.replace(
      /(\/?)\{([a-z_]+)([+*]?)\}/g,
      (_match, slash: string, name: string, rest: string) => {
        names.push(name);
        if (rest === '*') return `(?:${slash}(.*))?`;
        return `${slash}${rest === '+' ? '(.+)' : '([^/]+)'}`;
      },
    );
    this.routes.push({ method, regex: new RegExp(`^${source}/?$`), names, handler });
  }

  /** The matching route, `'method'` when the path exists for other methods only, or undefined. */
  match(method: string, path: string): RouteMatch<H> | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        pathMatched = true;
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}
