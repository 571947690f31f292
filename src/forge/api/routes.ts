/**
 * Every REST route of the forge, in match order: literal segments before parameters where two
 * patterns overlap (e.g. `/issues/comments` before `/issues/{issue_number}`).
 */
import type { Route } from '../forge-context.js';
import { appManifestRoutes } from './app-manifests.js';
import { appRoutes } from './apps.js';
import { protectionRoutes } from './branch-protection.js';
import { branchRoutes } from './branches.js';
import { checkRoutes } from './checks.js';
import { collaboratorRoutes } from './collaborators.js';
import { commitRoutes } from './commits.js';
import { contentRoutes } from './contents.js';
import { gitDataRoutes } from './git-data.js';
import { gitRefRoutes } from './git-refs.js';
import { issueCommentRoutes } from './issue-comments.js';
import { issueEventRoutes } from './issue-events.js';
import { issueRoutes } from './issues.js';
import { labelRoutes } from './labels.js';
import { milestoneRoutes } from './milestones.js';
import { pullRoutes } from './pulls.js';
import { releaseRoutes } from './releases.js';
import { repoRoutes } from './repos.js';
import { reviewRoutes } from './reviews.js';
import { searchRoutes } from './search.js';
import { statusRoutes } from './statuses.js';
import { userRoutes } from './users.js';

export function allRoutes(): Route[] {
  return [
    ...userRoutes,
    ...appRoutes,
    ...appManifestRoutes,
    ...collaboratorRoutes,
    ...issueCommentRoutes,
    ...issueEventRoutes,
    ...labelRoutes,
    ...issueRoutes,
    ...milestoneRoutes,
    ...reviewRoutes,
    ...pullRoutes,
    ...statusRoutes,
    ...checkRoutes,
    ...protectionRoutes,
    ...contentRoutes,
    ...branchRoutes,
    ...gitRefRoutes,
    ...gitDataRoutes,
    ...commitRoutes,
    ...releaseRoutes,
    ...searchRoutes,
    ...repoRoutes,
  ];
}
