import type { LabelDefinition } from '../config/default-labels.js';
import type { RepoConfig } from '../config/repo-config-schema.js';
import { sameLabel, type TriageAction } from './triage-action.js';

/**
 * Brings the repository's labels in line with the declared ones: create the missing, update
 * colour or description where they differ, and delete undeclared ones only with `prune: true`
 * (deleting a label takes it off every issue, so it is never the default).
 */
export function planLabelSync(
  existing: readonly LabelDefinition[],
  labels: RepoConfig['labels'],
): TriageAction[] {
  if (!labels.sync) return [];
  const actions: TriageAction[] = [];
  for (const declared of labels.definitions) {
    const current = existing.find((l) => sameLabel(l.name, declared.name));
    if (!current) {
      actions.push({ type: 'create-label', label: declared, reason: 'declared, missing' });
    } else if (
      current.color.toLowerCase() !== declared.color.toLowerCase() ||
      current.description !== declared.description ||
      current.name !== declared.name
    ) {
      actions.push({
        type: 'update-label',
        label: declared,
        reason: 'declared with another colour, description or case',
      });
    }
  }
  if (labels.prune) {
    for (const current of existing) {
      if (!labels.definitions.some((d) => sameLabel(d.name, current.name))) {
        actions.push({ type: 'delete-label', name: current.name, reason: 'not declared and prune is on' });
      }
    }
  }
  return actions;
}
