import { describe, expect, it } from 'vitest';
import { decideReleaseRequest } from '../../../../bot/release-flow/decide-release-request.js';
import { parseReleaseComment } from '../../../../bot/release-flow/release-comment.js';

const facts = {
  author: 'maintainer',
  permission: 'write',
  defaultBranch: 'main',
  branches: ['main', 'v0.1', 'v0.10', 'v0.2', 'feature/x'],
};
const decide = (comment: string, overrides: Partial<typeof facts> = {}) => {
  const parsed = parseReleaseComment(comment);
  if (!parsed) throw new Error('not a command');
  return decideReleaseRequest(parsed, { ...facts, ...overrides });
};

describe('decideReleaseRequest (pure)', () => {
  it('politely refuses people without write permission, whatever they asked', () => {
    for (const permission of ['read', 'triage', 'none']) {
      const decision = decide('/release major', { permission, author: 'visitor' });
      expect(decision.kind).toBe('refuse');
      expect(decision.kind === 'refuse' && decision.reply).toMatch(
        /^Thanks @visitor! Only people with write access .* so I did nothing\./,
      );
    }
    expect(decide('/release nonsense', { permission: 'read' })).toMatchObject({
      kind: 'refuse',
      reply: expect.stringContaining('write access'),
    });
  });

  it('lets admins, maintainers and writers release', () => {
    for (const permission of ['admin', 'maintain', 'write']) {
      expect(decide('/release minor', { permission })).toEqual({
        kind: 'prepare',
        branch: 'main',
        bump: 'minor',
        codename: undefined,
      });
    }
  });

  it('answers a malformed command with the usage', () => {
    expect(decide('/release huge')).toEqual({
      kind: 'refuse',
      reply:
        '@maintainer I do not understand `huge`. Write `/release [major|minor|patch|rc] [--codename NAME] [--branch vX.Y]`.',
    });
  });

  it('cuts patches from the newest release branch, the rest from the default branch', () => {
    expect(decide('/release patch')).toMatchObject({ kind: 'prepare', branch: 'v0.10', bump: 'patch' });
    expect(decide('/release patch', { branches: ['main'] })).toMatchObject({ branch: 'main' });
    expect(decide('/release patch --branch v0.1')).toMatchObject({ branch: 'v0.1' });
    expect(decide('/release')).toMatchObject({ branch: 'main', bump: undefined });
    expect(decide('/release rc --codename comte')).toMatchObject({ branch: 'main', codename: 'comte' });
  });

  it('refuses a branch that does not exist', () => {
    expect(decide('/release patch --branch v9.9')).toEqual({
      kind: 'refuse',
      reply: '@maintainer there is no branch `v9.9` to release from.',
    });
  });
});
