/**
 * The `/release` comment: `/release [major|minor|patch|rc] [--codename NAME] [--branch vX.Y]`,
 * on a line of its own. Parsing is pure and total: a comment without the command gives
 * undefined, a malformed one gives the problem to answer with, never an exception.
 */
import type { RequestedBump } from '../../release/version/next-version.js';

export interface ReleaseRequest {
  readonly bump: RequestedBump | undefined;
  readonly codename: string | undefined;
  readonly branch: string | undefined;
}

export type ParsedReleaseComment =
  | { readonly ok: true; readonly request: ReleaseRequest }
  | { readonly ok: false; readonly problem: string };

const bumps: readonly RequestedBump[] = ['major', 'minor', 'patch', 'rc'];
export const releaseCommandUsage = '/release [major|minor|patch|rc] [--codename NAME] [--branch vX.Y]';

export function parseReleaseComment(body: string): ParsedReleaseComment | undefined {
  const line = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => /^\/release(\s|$)/i.test(l));
  if (line === undefined) return undefined;
  const words = line.split(/\s+/).slice(1);
  let bump: RequestedBump | undefined;
  let codename: string | undefined;
  let branch: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const option = /^--(codename|branch)(?:=(.*))?$/.exec(word);
    if (option) {
      // Cheese names may have spaces ("Mont d'Or"): quoted, or with the option's own `=`.
      let value = option[2] ?? words[++i];
      if (value?.startsWith('"') && !(value.length > 1 && value.endsWith('"'))) {
        const rest: string[] = [value];
        while (i + 1 < words.length && !rest.at(-1)?.endsWith('"')) rest.push(words[++i] as string);
        value = rest.join(' ');
      }
      value = value?.replace(/^"(.*)"$/, '$1').trim();
      if (!value || value.startsWith('--'))
        return { ok: false, problem: `\`--${option[1]}\` needs a value.` };
      if (option[1] === 'codename') codename = value;
      else branch = value;
      continue;
    }
    const asBump = word.toLowerCase() as RequestedBump;
    if (bumps.includes(asBump) && bump === undefined) {
      bump = asBump;
      continue;
    }
    return { ok: false, problem: `I do not understand \`${word}\`.` };
  }
  return { ok: true, request: { bump, codename, branch } };
}
