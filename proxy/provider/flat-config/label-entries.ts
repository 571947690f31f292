/**
 * Docker labels as flat entries: `traefik.http.routers.r.rule` → `http/routers/r/rule`. Only
 * the routing sections are configuration; other `traefik.` labels (`traefik.enable`,
 * `traefik.docker.network`) are provider settings, read by the provider itself. The prefix
 * matches case-insensitively, as Traefik's label parser does; list items may be written
 * `servers[0].url`.
 */
import type { FlatEntry } from './parse-flat-config.js';

const routingSections = /^traefik\.(http|tcp|udp|tls)\./i;

export function labelEntries(labels: Readonly<Record<string, string>>): FlatEntry[] {
  const entries: FlatEntry[] = [];
  for (const [label, value] of Object.entries(labels)) {
    if (!routingSections.test(label)) continue;
    const path = label
      .slice('traefik.'.length)
      .split('.')
      .flatMap((part) => {
        const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
        if (!match?.[2]) return [part];
        return [match[1] as string, ...[...match[2].matchAll(/\[(\d+)\]/g)].map((m) => m[1] as string)];
      })
      .filter((segment) => segment !== '');
    entries.push({ path, value, source: `label ${label}` });
  }
  return entries;
}
