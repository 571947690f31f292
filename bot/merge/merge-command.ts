import type { MergeMethod } from './merge-settings.js';

export type MergeCommand = { kind: 'merge'; method: MergeMethod | undefined } | { kind: 'cancel' };

const methods: readonly string[] = ['squash', 'merge', 'rebase', 'ff'];

/**
 * Reads a `/merge [squash|merge|rebase|ff]` or `/merge cancel` command from a comment. Only a
 * line that is exactly a command counts, so quoting one in prose does not trigger it.
 */
export function parseMergeCommand(
  comment: string,
): MergeCommand | { kind: 'invalid'; reason: string } | undefined {
  for (const rawLine of comment.split(/\r?\n/)) {
    const words = rawLine.trim().split(/\s+/);
    if (words[0] !== '/merge') continue;
    const [, argument, extra] = words;
    if (extra !== undefined)
      return { kind: 'invalid', reason: `\`/merge\` takes one argument, got "${words.slice(1).join(' ')}"` };
    if (argument === undefined) return { kind: 'merge', method: undefined };
    if (argument === 'cancel') return { kind: 'cancel' };
    if (methods.includes(argument)) return { kind: 'merge', method: argument as MergeMethod };
    return { kind: 'invalid', reason: `unknown merge method "${argument}"; use squash, merge, rebase or ff` };
  }
  return undefined;
}
