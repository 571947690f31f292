import { describe, expect, it } from 'vitest';
import { type PushFacts, pushRefusals } from '../../../../../src/forge/protection/push-rules.js';
import type { ProtectionRecord } from '../../../../../src/forge/state/model.js';

const protection: ProtectionRecord = {
  requiredStatusChecks: { strict: true, contexts: ['ci'] },
  requiredApprovingReviewCount: null,
  dismissStaleReviews: false,
  enforceAdmins: false,
};
const facts = (overrides: Partial<PushFacts> = {}): PushFacts => ({
  branch: 'main',
  protection,
  kind: 'update',
  fastForward: true,
  isAdmin: false,
  checks: new Map(),
  ...overrides,
});

describe('pushRefusals', () => {
  it('lets anything through an unprotected branch', () => {
    expect(pushRefusals(facts({ protection: undefined, kind: 'delete' }))).toEqual([]);
  });

  it('refuses deletion and force pushes even for admins, unless the protection allows them', () => {
    expect(pushRefusals(facts({ kind: 'delete', isAdmin: true }))).toEqual([
      'Cannot delete this protected branch.',
    ]);
    expect(
      pushRefusals(facts({ kind: 'delete', protection: { ...protection, allowDeletions: true } })),
    ).toEqual([]);
    expect(pushRefusals(facts({ fastForward: false, isAdmin: true }))).toEqual([
      'Cannot force-push to this protected branch.',
    ]);
    expect(
      pushRefusals(
        facts({ fastForward: false, isAdmin: true, protection: { ...protection, allowForcePushes: true } }),
      ),
    ).toEqual([]);
  });

  it('requires the checks to pass on the pushed commit, admins bypassing unless enforce_admins', () => {
    expect(pushRefusals(facts())).toEqual(['Required status check "ci" is expected.']);
    expect(pushRefusals(facts({ checks: new Map([['ci', 'fail']]) }))).toEqual([
      'Required status check "ci" is failing.',
    ]);
    expect(pushRefusals(facts({ checks: new Map([['ci', 'pass']]) }))).toEqual([]);
    expect(pushRefusals(facts({ isAdmin: true }))).toEqual([]);
    expect(
      pushRefusals(facts({ isAdmin: true, protection: { ...protection, enforceAdmins: true } })),
    ).toHaveLength(1);
  });

  it('sends changes through pull requests when reviews are required', () => {
    const reviews = { ...protection, requiredStatusChecks: null, requiredApprovingReviewCount: 1 };
    expect(pushRefusals(facts({ protection: reviews }))).toEqual([
      'Changes must be made through a pull request.',
    ]);
    expect(pushRefusals(facts({ protection: reviews, isAdmin: true }))).toEqual([]);
  });
});
