/**
 * Traefik's single-file setup: an install file may also carry routing (`http`, `tcp`, `udp`,
 * `tls`) when `providers.file.filename` names that same file. The install loader then sets those
 * sections aside, and the file provider reads them like any dynamic file. Anywhere else they are
 * a mistake, said plainly rather than as an unknown key.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigFile } from '../../src/config/config-file.js';
import { isPlainObject } from '../../src/config/normalize.js';
import { AffineurError } from '../../src/errors/affineur-error.js';

/** The top-level sections of Traefik's dynamic configuration. */
export const routingSections = ['http', 'tcp', 'udp', 'tls'] as const;

const isRoutingSection = (key: string) => (routingSections as readonly string[]).includes(key.toLowerCase());

/** Keeps only the routing sections of a document (what the file provider reads of an install file). */
export function routingSectionsOf(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([key]) => isRoutingSection(key)));
}

/** For `loadStaticConfig`'s `prepareFileValue`: the install file without its own routing sections. */
export function withoutOwnRoutingSections(file: ConfigFile, cwd: string): unknown {
  const { value } = file;
  if (!isPlainObject(value)) return value;
  const sections = Object.keys(value).filter(isRoutingSection);
  if (sections.length === 0) return value;
  const filename = fileProviderFilename(value);
  if (filename !== undefined && samePath(resolve(cwd, filename), file.path)) {
    return Object.fromEntries(Object.entries(value).filter(([key]) => !isRoutingSection(key)));
  }
  const first = sections[0] as string;
  const line = file.locate([first]);
  throw new AffineurError(
    'AFF_ERR_CONFIG_UNKNOWN_KEY',
    `"${first}" is routing (dynamic) configuration; an install file carries it only when its own file provider reads it.`,
    {
      file: file.path,
      ...(line === undefined ? {} : { line }),
      keyPath: first,
      hint: `Set providers.file.filename to this file (${file.path}), as Traefik's single-file setups do, or move "${first}" to a file that providers.file reads.`,
    },
  );
}

function fileProviderFilename(value: Record<string, unknown>): string | undefined {
  const providers = entryOf(value, 'providers');
  const file = isPlainObject(providers) ? entryOf(providers, 'file') : undefined;
  const filename = isPlainObject(file) ? entryOf(file, 'filename') : undefined;
  return typeof filename === 'string' ? filename : undefined;
}

/** Traefik matches keys case-insensitively. */
function entryOf(value: Record<string, unknown>, key: string): unknown {
  const found = Object.keys(value).find((k) => k.toLowerCase() === key);
  return found === undefined ? undefined : value[found];
}

/** The same file, through symbolic links too. */
export function samePath(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}
