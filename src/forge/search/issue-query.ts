/**
 * GitHub's issue search language, parsed and matched as pure functions over plain data:
 * qualifiers (`repo:`, `is:` (including `locked`/`unlocked`), `type:`, `state:`, `label:` quoted or not, `-label:`, `author:`,
 * `assignee:`, `milestone:`, `no:`, date ranges on `created:`/`updated:`/`closed:`/`merged:`)
 * and free text matched against titles and bodies. Unknown qualifiers are kept as text, which is
 * what GitHub does with words it does not understand.
 */

export interface SearchableIssue {
  repo: string;
  kind: 'issue' | 'pr';
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  /** Optional so callers built before `is:locked` need no change; absent means unlocked. */
  locked?: boolean;
  title: string;
  body: string;
  author: string;
  labels: string[];
  assignees: string[];
  milestone: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
}

export interface Term {
  key: string | null;
  value: string;
  negated: boolean;
}

/** Splits a query into terms; `"..."` groups words, also after a qualifier (`label:"good first"`). */
export function tokenize(query: string): Term[] {
  const terms: Term[] = [];
  const pattern = /(-?)(?:([a-zA-Z-]+):)?(?:"([^"]*)"?|(\S+))/g;
  for (const match of query.matchAll(pattern)) {
    const [, dash = '', key, quoted, bare] = match;
    const value = quoted ?? bare ?? '';
    if (!key && value === '') continue;
    terms.push({ key: key ? key.toLowerCase() : null, value, negated: dash === '-' });
  }
  return terms;
}

type DateTest = (iso: string | null) => boolean;

const dayOnly = /^\d{4}-\d{2}-\d{2}$/;

/** `[start, end)` in epoch ms of a date or a date-time as GitHub reads it. */
function span(text: string): [number, number] | null {
  const start = Date.parse(dayOnly.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(start)) return null;
  return [start, dayOnly.test(text) ? start + 86_400_000 : start + 1000];
}

/** A date qualifier's test: `>D`, `>=D`, `<D`, `<=D`, `A..B` (either side may be `*`), or `D`. */
export function dateRange(spec: string): DateTest | null {
  const at = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  const range = /^(.+)\.\.(.+)$/.exec(spec);
  if (range) {
    const from = range[1] === '*' ? null : span(range[1] ?? '');
    const to = range[2] === '*' ? null : span(range[2] ?? '');
    if ((range[1] !== '*' && !from) || (range[2] !== '*' && !to)) return null;
    return (iso) => {
      const t = at(iso);
      return t !== null && (!from || t >= from[0]) && (!to || t < to[1]);
    };
  }
  const op = /^(>=|<=|>|<)?(.+)$/.exec(spec);
  const bounds = span(op?.[2] ?? '');
  if (!op || !bounds) return null;
  const [start, end] = bounds;
  const tests: Record<string, (t: number) => boolean> = {
    '>': (t) => t >= end,
    '>=': (t) => t >= start,
    '<': (t) => t < start,
    '<=': (t) => t < end,
    '': (t) => t >= start && t < end,
  };
  const test = tests[op[1] ?? ''];
  if (!test) return null;
  return (iso) => {
    const t = at(iso);
    return t !== null && test(t);
  };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether one term holds for an issue; `null` when the term is free text. */
function qualifierHolds(term: Term, issue: SearchableIssue): boolean | null {
  const v = term.value;
  switch (term.key) {
    case 'repo':
      return same(issue.repo, v);
    case 'is':
    case 'type':
      switch (v.toLowerCase()) {
        case 'issue':
          return issue.kind === 'issue';
        case 'pr':
        case 'pull-request':
          return issue.kind === 'pr';
        case 'open':
          return issue.state === 'open';
        case 'closed':
          return issue.state === 'closed';
        case 'merged':
          return issue.merged;
        case 'unmerged':
          return issue.kind === 'pr' && issue.state === 'closed' && !issue.merged;
        case 'draft':
          return issue.draft;
        case 'locked':
          return issue.locked === true;
        case 'unlocked':
          return issue.locked !== true;
        default:
          return false;
      }
    case 'state':
      return issue.state === v.toLowerCase();
    case 'label':
      // `label:a,b` means either label.
      return v.split(',').some((name) => issue.labels.some((l) => same(l, name)));
    case 'author':
      return same(issue.author, v);
    case 'assignee':
      return issue.assignees.some((a) => same(a, v));
    case 'milestone':
      return issue.milestone !== null && same(issue.milestone, v);
    case 'no':
      if (v === 'label') return issue.labels.length === 0;
      if (v === 'milestone') return issue.milestone === null;
      if (v === 'assignee') return issue.assignees.length === 0;
      return false;
    case 'created':
    case 'updated':
    case 'closed':
    case 'merged': {
      const test = dateRange(v);
      if (!test) return false;
      const field = {
        created: issue.createdAt,
        updated: issue.updatedAt,
        closed: issue.closedAt,
        merged: issue.mergedAt,
      }[term.key];
      return test(field);
    }
    default:
      return null;
  }
}

/** Whether an issue matches every term of a parsed query. */
export function matches(terms: Term[], issue: SearchableIssue): boolean {
  const text = `${issue.title}\n${issue.body}`.toLowerCase();
  // Several `repo:` terms widen the search (any of them), unlike every other qualifier.
  const repos = reposOf(terms);
  if (repos.length > 0 && !repos.includes(issue.repo.toLowerCase())) return false;
  return terms.every((term) => {
    if (term.key === 'repo' && !term.negated) return true;
    const holds = qualifierHolds(term, issue);
    const result =
      holds ?? text.includes((term.key ? `${term.key}:${term.value}` : term.value).toLowerCase());
    return term.negated ? !result : result;
  });
}

/** The repositories a query restricts itself to (`repo:` terms), lower-cased; empty when unrestricted. */
export function reposOf(terms: Term[]): string[] {
  return terms.filter((t) => t.key === 'repo' && !t.negated).map((t) => t.value.toLowerCase());
}
