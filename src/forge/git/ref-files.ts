/**
 * Reads a branch or tag tip straight from the repository's files (a loose ref, else
 * `packed-refs`), the way git itself looks it up, instead of spawning `git rev-parse`: the forge
 * reads the base branch of a pull request on every read of it, and a process per read was most
 * of the cost of a read under load. Anything unusual (a symbolic ref, an odd name, an unreadable
 * file) answers `undefined`, meaning "ask git".
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const sha = /^[0-9a-f]{40}$/;
/** Names whose file path is the name itself: no `..`, no hidden or lock segments. */
const plainRef = /^refs\/(heads|tags|pull)(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/;

export async function readRefFile(gitDir: string, ref: string): Promise<string | null | undefined> {
  if (!plainRef.test(ref) || ref.endsWith('.lock') || ref.includes('..')) return undefined;
  const loose = await readText(join(gitDir, ref));
  if (loose === undefined) return undefined;
  if (loose !== null) {
    const value = loose.trim();
    return sha.test(value) ? value : undefined;
  }
  // git writes packed-refs whole and renames it into place, so one read sees one version.
  const packed = await readText(join(gitDir, 'packed-refs'));
  if (packed === undefined) return undefined;
  if (packed === null) return null;
  for (const line of packed.split('\n')) {
    if (line.endsWith(` ${ref}`)) {
      const value = line.slice(0, line.indexOf(' '));
      return sha.test(value) ? value : undefined;
    }
  }
  return null;
}

/** The file's text; null when it does not exist, undefined when it cannot be read (e.g. a directory). */
async function readText(file: string): Promise<string | null | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : undefined;
  }
}
