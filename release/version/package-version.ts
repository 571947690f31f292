/**
 * Writes a release's version into `package.json`, when the repository has one with a
 * `version` field (a private workspace root without one is left alone). The file is rewritten
 * with its own indentation and final newline, keys in their order, so the release PR's diff is
 * the one line that changed.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import { formatVersion, type Version } from './version.js';

export const packageJsonPath = 'package.json';

/** The new text, or undefined when the file has no version to update. */
export function withPackageVersion(text: string, version: Version): string | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (cause) {
    throw new AffineurError('AFF_ERR_RELEASE_PACKAGE_JSON', `not valid JSON (${(cause as Error).message}).`, {
      file: packageJsonPath,
      hint: 'Fix package.json on the branch being released, then run again.',
      cause,
    });
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new AffineurError('AFF_ERR_RELEASE_PACKAGE_JSON', 'expected a JSON object.', {
      file: packageJsonPath,
      hint: 'Fix package.json on the branch being released, then run again.',
    });
  }
  const record = manifest as Record<string, unknown>;
  if (!('version' in record)) return undefined;
  // npm writes versions without the tag's "v".
  record.version = formatVersion(version).slice(1);
  const indent = /^[{[]\r?\n([ \t]+)/.exec(text)?.[1] ?? 2;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(record, null, indent).replace(/\n/g, newline);
  return text.endsWith('\n') ? `${body}${newline}` : body;
}
