/**
 * KV pairs as flat entries: `traefik/http/services/s/loadBalancer/servers/0/url` under the root
 * key `traefik` → `http/services/s/loadBalancer/servers/0/url`. Keys outside the root, the root
 * itself and directory markers (a key ending in `/`) carry no option and are skipped.
 */
import type { FlatEntry } from './parse-flat-config.js';

export function kvEntries(pairs: Iterable<readonly [string, string]>, rootKey: string): FlatEntry[] {
  const prefix = `${rootKey.replace(/\/+$/, '')}/`;
  const entries: FlatEntry[] = [];
  for (const [key, value] of pairs) {
    if (!key.startsWith(prefix) || key.endsWith('/')) continue;
    const path = key.slice(prefix.length).split('/');
    if (path.some((segment) => segment === '')) continue;
    entries.push({ path, value, source: `key ${key}` });
  }
  return entries;
}
