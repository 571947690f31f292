/**
 * What a triage decision asks for, as plain data. Decisions never call GitHub; the adapter in
 * bot/github/ carries these out, or only logs them in dry-run mode.
 */
import type { LabelDefinition } from '../config/default-labels.js';

export type TriageAction =
  | { type: 'add-labels'; issue: number; labels: string[]; reason: string }
  | { type: 'remove-label'; issue: number; label: string; reason: string }
  | { type: 'set-milestone'; issue: number; milestone: number; title: string; reason: string }
  | { type: 'comment'; issue: number; body: string; reason: string }
  | { type: 'create-label'; label: LabelDefinition; reason: string }
  | { type: 'update-label'; label: LabelDefinition; reason: string }
  | { type: 'delete-label'; name: string; reason: string };

/** Label names compare case-insensitively on GitHub. */
export const sameLabel = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const hasLabel = (labels: readonly string[], name: string) => labels.some((l) => sameLabel(l, name));
