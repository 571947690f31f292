/**
 * Issue numbers a PR description closes with GitHub's closing keywords, including lists such as
 * `fixes #12, #13`. Only issues of the same repository are returned; `owner/repo#N` elsewhere
 * is left to GitHub.
 */
const keyword =
  /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+((?:(?:[\w.-]+\/[\w.-]+)?#\d+(?:\s*(?:,|and)\s*)?)+)/gi;

export function closingIssueNumbers(body: string, repoFullName: string): number[] {
  const found = new Set<number>();
  for (const match of body.matchAll(keyword)) {
    for (const reference of (match[1] as string).matchAll(/([\w.-]+\/[\w.-]+)?#(\d+)/g)) {
      const repo = reference[1];
      if (repo && repo.toLowerCase() !== repoFullName.toLowerCase()) continue;
      found.add(Number(reference[2]));
    }
  }
  return [...found].sort((a, b) => a - b);
}
