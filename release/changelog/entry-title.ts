/**
 * The title a changelog entry shows. A pull request titled the conventional-commit way
 * (`feat(proxy): add x`) loses its prefix, since the kind already places the entry in its
 * section and the scope is not an area label: the entry reads "Add x", as Traefik's do.
 */

// The conventional types (Angular's list, and `feature`, which the bump reader accepts too).
const conventionalPrefix =
  /^(?:feat|feature|fix|perf|docs|style|refactor|test|tests|build|ci|chore|revert)(?:\([^()]*\))?!?:\s+/i;

export function entryTitle(title: string): string {
  const trimmed = title.trim();
  const rest = trimmed.replace(conventionalPrefix, '');
  if (rest === trimmed || rest === '') return trimmed;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
