/**
 * `release/codenames.json`: the repository's own record of which release line carries which
 * cheese, e.g. `{ "v3.6": "ramequin" }`. It is the first source of truth for codenames; tags and
 * release titles fill in lines released before the file existed.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';

export const codenamesFilePath = 'release/codenames.json';

/** Release line → codename slug. */
export type CodenameRecord = Readonly<Record<string, string>>;

const lineKey = /^v\d+\.\d+$/;
const slugValue = /^[a-z0-9]+$/;

export function parseCodenamesFile(text: string | undefined): CodenameRecord {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AffineurError(
      'AFF_ERR_RELEASE_CODENAMES_FILE',
      `not valid JSON (${(cause as Error).message}).`,
      {
        file: codenamesFilePath,
        hint: 'Write a JSON object such as {"v1.0": "reblochon"}.',
        cause,
      },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AffineurError('AFF_ERR_RELEASE_CODENAMES_FILE', 'expected a JSON object.', {
      file: codenamesFilePath,
      hint: 'Write a JSON object such as {"v1.0": "reblochon"}.',
    });
  }
  const record: Record<string, string> = {};
  for (const [key, slug] of Object.entries(value)) {
    if (!lineKey.test(key)) {
      throw new AffineurError('AFF_ERR_RELEASE_CODENAMES_FILE', `"${key}" is not a release line.`, {
        file: codenamesFilePath,
        keyPath: key,
        hint: 'Keys are release lines written "vMAJOR.MINOR", such as "v3.6".',
      });
    }
    if (typeof slug !== 'string' || !slugValue.test(slug)) {
      throw new AffineurError(
        'AFF_ERR_RELEASE_CODENAMES_FILE',
        `${JSON.stringify(slug)} is not a codename slug.`,
        {
          file: codenamesFilePath,
          keyPath: key,
          hint: 'Values are cheese slugs: lower-case ASCII letters and digits, such as "saintnectaire".',
        },
      );
    }
    record[key] = slug;
  }
  return record;
}

/** Serialises with lines in version order, so that the file diffs one line per release. */
export function formatCodenamesFile(record: CodenameRecord): string {
  const lines = Object.keys(record).sort((a, b) => {
    const [aMajor = 0, aMinor = 0] = a.slice(1).split('.').map(Number);
    const [bMajor = 0, bMinor = 0] = b.slice(1).split('.').map(Number);
    return aMajor - bMajor || aMinor - bMinor;
  });
  const sorted: Record<string, string> = {};
  for (const line of lines) sorted[line] = record[line] as string;
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
