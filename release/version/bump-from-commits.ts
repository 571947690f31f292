/**
 * The bump conventional commits call for, computed by conventional-recommended-bump with the
 * conventionalcommits preset over commits already in memory: no git access happens here, so
 * the plan stays a function of the facts collected before it.
 */
import createPreset from 'conventional-changelog-conventionalcommits';
import { type Commit, CommitParser } from 'conventional-commits-parser';
import { Bumper } from 'conventional-recommended-bump';
import type { Bump, BumpDecision } from './bump.js';

// bumpStrict: chores, docs, tests and CI changes alone do not make a release.
const preset = createPreset({ bumpStrict: true });

/** Parses raw commit messages the way the preset reads them (`feat(scope)!: subject`). */
export function parseConventionalCommits(messages: readonly string[]): Commit[] {
  const parser = new CommitParser(preset.parser);
  return messages.map((message) => parser.parse(message));
}

export async function bumpFromCommits(messages: readonly string[]): Promise<BumpDecision> {
  const commits = parseConventionalCommits(messages);
  // Bumper takes a working directory for the cases where it reads git itself; given commits,
  // it never does, so the directory is irrelevant.
  const recommendation = await new Bumper(process.cwd())
    .config({ whatBump: preset.whatBump })
    .commits(commits)
    .bump(preset.whatBump);
  if (!('releaseType' in recommendation)) return { bump: null, reasons: [] };
  const bump: Bump = recommendation.releaseType;
  return { bump, reasons: [`conventional commits call for a ${bump} release (${recommendation.reason})`] };
}
