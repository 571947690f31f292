import { describe, expect, it } from 'vitest';
import {
  preparedReply,
  prepareFailedReply,
  publishedReply,
  publishFailedReply,
} from '../../../../bot/release-flow/release-replies.js';
import { AffineurError } from '../../../../src/errors/affineur-error.js';

const plan = {
  tag: 'v0.1.0',
  branch: 'main',
  codename: { name: 'Ramequin', slug: 'ramequin', source: 'picked' as const },
  reasons: ['minor requested'],
};
const openAction = {
  kind: 'open-pull-request' as const,
  purpose: 'release' as const,
  head: 'release/v0.1.0',
  base: 'main',
  title: 'Prepare release v0.1.0',
  body: '',
  labels: [],
};

describe('release replies (pure)', () => {
  it('announces the release PR with its codename and why', () => {
    const text = preparedReply(plan, 12, [{ action: openAction, description: 'open', outcome: 'done' }]);
    expect(text).toBe(
      'Opened #12: **Prepare release v0.1.0** aka `ramequin` (Ramequin), from `main`.\n\n- minor requested\n\nMerging it tags the merge commit and publishes the release.',
    );
    expect(
      preparedReply(plan, 12, [{ action: openAction, description: 'open', outcome: 'already-done' }]),
    ).toMatch(/^Updated #12:/);
  });

  it('lists only what publishing did, with a link to the release', () => {
    const text = publishedReply(
      { tag: 'v0.1.0', releaseName: 'v0.1.0 (Ramequin)' },
      [
        {
          action: { kind: 'create-tag', tag: 'v0.1.0', sha: 'a'.repeat(40), message: '' },
          description: 'create annotated tag v0.1.0 at aaaaaaaaaaaa',
          outcome: 'done',
        },
        {
          action: { kind: 'create-branch', name: 'v0.1', sha: 'a'.repeat(40) },
          description: 'create branch v0.1 at aaaaaaaaaaaa',
          outcome: 'already-done',
        },
      ],
      'http://forge/o/r/releases/tag/v0.1.0',
    );
    expect(text).toBe(
      'Published **[v0.1.0 (Ramequin)](http://forge/o/r/releases/tag/v0.1.0)**:\n\n- create annotated tag v0.1.0 at aaaaaaaaaaaa',
    );
  });

  it('quotes failures with their fix, and says how a failed publish gets finished', () => {
    const error = new AffineurError('AFF_ERR_RELEASE_NOTHING_TO_RELEASE', 'nothing since v0.1.0.', {
      hint: 'Force one.',
    });
    expect(prepareFailedReply(error)).toBe(
      'I could not prepare the release:\n\n> AFF_ERR_RELEASE_NOTHING_TO_RELEASE: nothing since v0.1.0. Force one.\n\nFix the problem and comment `/release` again: steps already done are kept, not repeated.',
    );
    const publish = publishFailedReply('v0.1.0', new Error('line one\nline two'));
    expect(publish).toContain('> line one\n> line two');
    expect(publish).toContain('`affineur release publish --version v0.1.0` finishes it by hand.');
  });
});
