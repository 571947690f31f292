/**
 * What a housekeeping run looks for, as GitHub search queries built from the rules and a clock:
 * pure functions, so a rule's meaning is testable without a forge. Bibikoffi's model: a stale
 * rule closes open items with the rule's labels, created and last updated long enough ago; a
 * lock rule locks items closed long enough ago. `closeAfterDays` adds a warning step first.
 */
import type { HousekeepingConfig, StaleRule } from '../config/repo-config-schema.js';

export type HousekeepingStep = 'close' | 'mark-stale' | 'unmark-stale' | 'close-stale' | 'lock';

export interface PlannedSearch {
  step: HousekeepingStep;
  /** `stale[0]`, `lock`: names the rule in logs and dry-run reports. */
  rule: string;
  query: string;
  /** Posted before acting, if any. */
  message: string | undefined;
  /** Added when acting: the stale mark, or the lock's frozen label; removed by `unmark-stale`. */
  label: string | undefined;
  /** For `unmark-stale`: where to look for activity after the mark (ISO), and the mark's text. */
  since?: string;
  markMessage?: string;
}

const dayMs = 86_400_000;

/** GitHub's date-time form for search qualifiers, to the second. */
export const searchDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const quoted = (name: string) => `"${name.replaceAll('"', '')}"`;
const typeQualifier = (type: 'issue' | 'pr' | 'all') => (type === 'all' ? [] : [`is:${type}`]);

function labelQualifiers(rule: Pick<StaleRule, 'includedLabels' | 'excludedLabels'>): string[] {
  return [
    ...rule.includedLabels.map((l) => `label:${quoted(l)}`),
    ...rule.excludedLabels.map((l) => `-label:${quoted(l)}`),
  ];
}

export function planStaleSearches(repo: string, rules: readonly StaleRule[], now: number): PlannedSearch[] {
  return rules.flatMap((rule, index): PlannedSearch[] => {
    const name = `stale[${index}]`;
    const base = [`repo:${repo}`, 'is:open', ...typeQualifier(rule.type), ...labelQualifiers(rule)];
    const age = [
      ...(rule.daysSinceCreation > 0 ? [`created:<${searchDate(now - rule.daysSinceCreation * dayMs)}`] : []),
      `updated:<${searchDate(now - rule.daysSinceUpdate * dayMs)}`,
    ];
    if (rule.closeAfterDays === undefined) {
      return [
        {
          step: 'close',
          rule: name,
          query: [...base, ...age].join(' '),
          message: rule.message,
          label: undefined,
        },
      ];
    }
    const window = searchDate(now - rule.closeAfterDays * dayMs);
    return [
      // Marked and updated since: if a person commented after the mark, the mark comes off.
      {
        step: 'unmark-stale',
        rule: name,
        query: [...base, `label:${quoted(rule.staleLabel)}`, `updated:>=${window}`].join(' '),
        message: undefined,
        label: rule.staleLabel,
        since: window,
        markMessage: rule.message,
      },
      // Marked, then untouched for closeAfterDays: our own mark is the last update it had.
      {
        step: 'close-stale',
        rule: name,
        query: [
          ...base,
          `label:${quoted(rule.staleLabel)}`,
          `updated:<${searchDate(now - rule.closeAfterDays * dayMs)}`,
        ].join(' '),
        message: undefined,
        label: undefined,
      },
      {
        step: 'mark-stale',
        rule: name,
        query: [...base, `-label:${quoted(rule.staleLabel)}`, ...age].join(' '),
        message: rule.message,
        label: rule.staleLabel,
      },
    ];
  });
}

export function planLockSearch(
  repo: string,
  lock: HousekeepingConfig['lock'],
  now: number,
): PlannedSearch | undefined {
  if (!lock) return undefined;
  return {
    step: 'lock',
    rule: 'lock',
    query: [
      `repo:${repo}`,
      'is:closed',
      'is:unlocked',
      ...typeQualifier(lock.type),
      `closed:<${searchDate(now - lock.daysSinceClose * dayMs)}`,
    ].join(' '),
    message: lock.message,
    label: lock.label,
  };
}
