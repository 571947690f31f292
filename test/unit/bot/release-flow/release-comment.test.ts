import { describe, expect, it } from 'vitest';
import { parseReleaseComment } from '../../../../bot/release-flow/release-comment.js';

const request = (bump?: string, codename?: string, branch?: string) => ({
  ok: true,
  request: { bump, codename, branch },
});

describe('parseReleaseComment (pure)', () => {
  it('ignores comments without the command, or with it inside a sentence', () => {
    expect(parseReleaseComment('LGTM')).toBeUndefined();
    expect(parseReleaseComment('please run /release minor')).toBeUndefined();
    expect(parseReleaseComment('/released yesterday')).toBeUndefined();
  });

  it('reads the bump, the codename and the branch, on any line', () => {
    expect(parseReleaseComment('/release')).toEqual(request());
    expect(parseReleaseComment('Ready.\n\n/release minor\nthanks')).toEqual(request('minor'));
    expect(parseReleaseComment('/release MAJOR')).toEqual(request('major'));
    expect(parseReleaseComment('/release rc --codename comte')).toEqual(request('rc', 'comte'));
    expect(parseReleaseComment('/release patch --branch v0.1')).toEqual(request('patch', undefined, 'v0.1'));
    expect(parseReleaseComment('/release --codename=brie minor')).toEqual(request('minor', 'brie'));
  });

  it('takes cheese names with spaces when quoted', () => {
    expect(parseReleaseComment(`/release minor --codename "Mont d'Or"`)).toEqual(
      request('minor', "Mont d'Or"),
    );
    expect(parseReleaseComment('/release --codename "Saint-Nectaire" patch')).toEqual(
      request('patch', 'Saint-Nectaire'),
    );
  });

  it('says what is wrong with a malformed command', () => {
    expect(parseReleaseComment('/release huge')).toEqual({
      ok: false,
      problem: 'I do not understand `huge`.',
    });
    expect(parseReleaseComment('/release minor major')).toEqual({
      ok: false,
      problem: 'I do not understand `major`.',
    });
    expect(parseReleaseComment('/release --codename')).toEqual({
      ok: false,
      problem: '`--codename` needs a value.',
    });
    expect(parseReleaseComment('/release --branch --codename x')).toEqual({
      ok: false,
      problem: '`--branch` needs a value.',
    });
  });
});
