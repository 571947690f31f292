import { describe, expect, it } from 'vitest';
import {
  dateRange,
  matches,
  type SearchableIssue,
  tokenize,
} from '../../../../../src/forge/search/issue-query.js';

const base: SearchableIssue = {
  repo: 'acme/proxy',
  kind: 'pr',
  state: 'closed',
  merged: true,
  draft: false,
  title: 'Fix the router',
  body: 'It crashed on empty hosts',
  author: 'Alice',
  labels: ['kind/bug', 'good first issue'],
  assignees: ['bob'],
  milestone: 'v1.2',
  createdAt: '2024-01-10T10:00:00Z',
  updatedAt: '2024-03-01T12:00:00Z',
  closedAt: '2024-02-15T09:00:00Z',
  mergedAt: '2024-02-15T09:00:00Z',
};
const hit = (q: string, issue: Partial<SearchableIssue> = {}) => matches(tokenize(q), { ...base, ...issue });

describe('tokenize', () => {
  it('reads qualifiers, quoted values, negations and free text', () => {
    expect(tokenize('repo:acme/proxy -label:"needs review" is:pr router')).toEqual([
      { key: 'repo', value: 'acme/proxy', negated: false },
      { key: 'label', value: 'needs review', negated: true },
      { key: 'is', value: 'pr', negated: false },
      { key: null, value: 'router', negated: false },
    ]);
    expect(tokenize('"exact phrase"  ')).toEqual([{ key: null, value: 'exact phrase', negated: false }]);
  });
});

describe('matches', () => {
  it('applies kind and state qualifiers', () => {
    expect(hit('is:pr is:merged')).toBe(true);
    expect(hit('is:issue')).toBe(false);
    expect(hit('is:unmerged')).toBe(false);
    expect(hit('is:unmerged', { merged: false })).toBe(true);
    expect(hit('is:open')).toBe(false);
    expect(hit('state:closed type:pr')).toBe(true);
    expect(hit('is:pull-request is:closed')).toBe(true);
  });

  it('matches is:locked and is:unlocked (bibikoffi-style lock sweeps search for unlocked items)', () => {
    expect(hit('is:unlocked')).toBe(true);
    expect(hit('is:locked')).toBe(false);
    expect(hit('is:locked', { locked: true })).toBe(true);
    expect(hit('is:unlocked', { locked: true })).toBe(false);
  });

  it('matches labels quoted or not, negated, and comma-separated as either', () => {
    expect(hit('label:"good first issue"')).toBe(true);
    expect(hit('label:kind/bug')).toBe(true);
    expect(hit('-label:kind/bug')).toBe(false);
    expect(hit('-label:"status/0-needs-triage"')).toBe(true);
    expect(hit('label:kind/feature,kind/bug')).toBe(true);
    expect(hit('label:kind/bug label:kind/feature')).toBe(false);
    expect(hit('no:label', { labels: [] })).toBe(true);
  });

  it('matches people, milestones and repositories case-insensitively; several repo: terms widen', () => {
    expect(hit('author:alice assignee:BOB milestone:v1.2 repo:ACME/proxy')).toBe(true);
    expect(hit('repo:acme/other')).toBe(false);
    expect(hit('repo:acme/other repo:acme/proxy')).toBe(true);
    expect(hit('no:milestone')).toBe(false);
  });

  it('matches free text in the title or body, and negated text', () => {
    expect(hit('router crashed')).toBe(true);
    expect(hit('"empty hosts"')).toBe(true);
    expect(hit('-router')).toBe(false);
    expect(hit('proxy')).toBe(false);
  });

  it('compares dates the way GitHub reads them', () => {
    expect(hit('updated:<2024-03-02')).toBe(true);
    expect(hit('updated:<2024-03-01')).toBe(false);
    expect(hit('updated:<=2024-03-01')).toBe(true);
    expect(hit('updated:>2024-03-01')).toBe(false);
    expect(hit('updated:>=2024-03-01')).toBe(true);
    expect(hit('created:2024-01-10')).toBe(true);
    expect(hit('merged:2024-02-01..2024-02-15')).toBe(true);
    expect(hit('merged:2024-02-16..*')).toBe(false);
    expect(hit('merged:*..2024-02-15')).toBe(true);
    expect(hit('merged:>2024-01-01', { mergedAt: null })).toBe(false);
    expect(hit('closed:>2024-02-15T08:00:00Z')).toBe(true);
  });

  it('refuses malformed dates instead of matching everything', () => {
    expect(dateRange('<yesterday')).toBeNull();
    expect(hit('updated:<soon')).toBe(false);
  });
});
