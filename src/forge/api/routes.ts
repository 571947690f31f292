/**
 * Every REST route of the forge, in match order: literal segments before parameters where two
 * patterns overlap (e.g. `/issues/comments` before `/issues/{issue_number}`).
 */
import type { Route } from '../forge-context.js';
import { appRoutes } from './apps.js';
import { protectionRoutes } from './branch-protection.js';
import { checkRoutes } from './checks.js';
import { collaboratorRoutes } from './collaborators.js';
import { contentRoutes } from './contents.js';
import { issueCommentRoutes } from './issue-comments.js';
import { issueRoutes } from './issues.js';
import { labelRoutes } from './labels.js';
import { milestoneRoutes } from './milestones.js';
import { pullRoutes } from './pulls.js';
import { repoRoutes } from './repos.js';
import { reviewRoutes } from './reviews.js';
import { statusRoutes } from './statuses.js';
import { userRoutes } from './users.js';

export function allRoutes(): Route[] {
  return [
    ...userRoutes,
    ...appRoutes,
    ...collaboratorRoutes,
    ...issueCommentRoutes,
    ...labelRoutes,
    ...issueRoutes,
    ...milestoneRoutes,
    ...reviewRoutes,
    ...pullRoutes,
    ...statusRoutes,
    ...checkRoutes,
    ...protectionRoutes,
    ...contentRoutes,
    ...repoRoutes,
  ];
}
