import { setAtPath } from './dotted-path.js';

export interface ParsedEnv {
  values: Record<string, unknown>;
  given: string[];
}

/**
 * Reads `AFFINEUR_ENTRYPOINTS_WEB_ADDRESS=:8080` style variables into a nested object, the way
 * Traefik reads `TRAEFIK_*`. Segments are lower-cased; schema normalization restores the
 * canonical key spelling, and numeric segments index lists.
 */
export function parseEnvVars(env: Readonly<Record<string, string | undefined>>, prefix: string): ParsedEnv {
  const values: Record<string, unknown> = {};
  const given: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.toUpperCase().startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (rest === '' || rest.toUpperCase() === 'CONFIGFILE') continue;
    const segments = rest
      .split('_')
      .filter((s) => s !== '')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.toLowerCase()));
    setAtPath(values, segments, value);
    given.push(name);
  }
  return { values, given };
}
