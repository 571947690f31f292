import { AffineurError } from '../errors/affineur-error.js';

/**
 * Splits `entryPoints.web.http.tls.domains[0].main` into segments, with list indexes as
 * numbers. This is the path syntax Traefik uses for flags.
 */
export function splitDottedPath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match || (match[1] === '' && !match[2])) {
      throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', `"${path}" is not a valid dotted key path.`, {
        hint: 'Use the form section.key.subkey, with [N] for list items.',
      });
    }
    if (match[1]) segments.push(match[1]);
    for (const index of match[2]?.matchAll(/\[(\d+)\]/g) ?? []) segments.push(Number(index[1]));
  }
  return segments;
}

/** Sets a value at a path, creating objects and arrays on the way. */
export function setAtPath(
  target: Record<string, unknown>,
  segments: (string | number)[],
  value: unknown,
): void {
  let node: Record<string | number, unknown> = target;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (last) {
      node[segment] = value;
      return;
    }
    const nextIsIndex = typeof segments[i + 1] === 'number';
    const existing = node[segment];
    if (existing === null || typeof existing !== 'object') node[segment] = nextIsIndex ? [] : {};
    node = node[segment] as Record<string | number, unknown>;
  });
}

export function formatKeyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    return out ? `${out}.${String(segment)}` : String(segment);
  }, '');
}
