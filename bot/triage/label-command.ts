/**
 * `/label add <name>...` and `/label remove <name>...` in a comment, one command per line.
 * Only users who can write to the repository may use them; anyone else gets a polite refusal
 * and nothing changes.
 */
import type { TriageConfig } from '../config/repo-config-schema.js';
import { hasLabel, type TriageAction } from './triage-action.js';

export interface LabelCommand {
  op: 'add' | 'remove';
  labels: string[];
}

const commandLine = /^\/label\s+(add|remove)\s+(.+)$/i;

/** Labels may contain spaces when quoted: `/label add "good first issue" area/proxy`. */
export function parseLabelCommands(body: string): LabelCommand[] {
  const commands: LabelCommand[] = [];
  for (const line of body.split(/\r?\n/)) {
    const match = commandLine.exec(line.trim());
    if (!match) continue;
    const labels = [...match[2]!.matchAll(/"([^"]+)"|(\S+)/g)]
      .map((m) => (m[1] ?? m[2])!.trim())
      .filter(Boolean);
    if (labels.length > 0) commands.push({ op: match[1]!.toLowerCase() as LabelCommand['op'], labels });
  }
  return commands;
}

/** Repository permission levels that include write access. */
const canWrite = new Set(['admin', 'maintain', 'write']);

export const canWriteLabels = (permission: string) => canWrite.has(permission);

export function decideLabelCommands(
  comment: { issue: number; author: string; permission: string; labels: readonly string[] },
  commands: readonly LabelCommand[],
  triage: Pick<TriageConfig, 'enabled' | 'commands'>,
): TriageAction[] {
  if (!triage.enabled || !triage.commands.enabled || commands.length === 0) return [];
  if (!canWriteLabels(comment.permission)) {
    return [
      {
        type: 'comment',
        issue: comment.issue,
        body: `Thanks @${comment.author}! Only people with write access to this repository can change labels with \`/label\`, so I left them as they are. A maintainer will take a look.`,
        reason: `/label from ${comment.author} without write permission (${comment.permission})`,
      },
    ];
  }
  const labels = [...comment.labels];
  const actions: TriageAction[] = [];
  for (const command of commands) {
    for (const label of command.labels) {
      if (command.op === 'add' && !hasLabel(labels, label)) {
        labels.push(label);
        const last = actions.at(-1);
        if (last?.type === 'add-labels') last.labels.push(label);
        else
          actions.push({
            type: 'add-labels',
            issue: comment.issue,
            labels: [label],
            reason: `/label add by ${comment.author}`,
          });
      } else if (command.op === 'remove' && hasLabel(labels, label)) {
        const index = labels.findIndex((l) => l.toLowerCase() === label.toLowerCase());
        const [present] = labels.splice(index, 1);
        actions.push({
          type: 'remove-label',
          issue: comment.issue,
          label: present ?? label,
          reason: `/label remove by ${comment.author}`,
        });
      }
    }
  }
  return actions;
}

/** Whether a comment body holds any command; lets the handler skip the permission lookup otherwise. */
export const hasLabelCommand = (body: string) => parseLabelCommands(body).length > 0;
