// The conventionalcommits preset ships plain JavaScript without type declarations; this is the
// part of its surface the release engine uses.
declare module 'conventional-changelog-conventionalcommits' {
  import type { ParserOptions } from 'conventional-commits-parser';
  import type { Preset } from 'conventional-recommended-bump';

  interface PresetConfig {
    /** Only commits of a visible type (feat, fix, perf, revert, breaking) call for a release. */
    bumpStrict?: boolean;
    preMajor?: boolean;
  }

  interface ConventionalCommitsPreset {
    parser: ParserOptions;
    whatBump: Preset['whatBump'];
  }

  export default function createPreset(config?: PresetConfig): ConventionalCommitsPreset;
}
