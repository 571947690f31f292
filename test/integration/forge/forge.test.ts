/**
 * The sandbox forge's integration suite. Every scenario runs in this one file (one worker), so
 * the last test can check that each REST route the forge registers had at least one response
 * validated against GitHub's OpenAPI description somewhere in the suite.
 */
import { describe } from 'vitest';
import { useForge } from '../../support/forge-harness.js';
import { accountsAndReposTests } from './scenarios/accounts-and-repos.js';
import { appEventTests } from './scenarios/app-events.js';
import { appManifestTests } from './scenarios/app-manifests.js';
import { branchProtectionTests } from './scenarios/branch-protection.js';
import { branchesAndRefsTests } from './scenarios/branches-and-refs.js';
import { contentsTests } from './scenarios/contents.js';
import { contributorFlowTests } from './scenarios/contributor-flow.js';
import { forgeCoreTests } from './scenarios/forge-core.js';
import { gitDataAndCommitsTests } from './scenarios/git-data-and-commits.js';
import { issuesAndPullsTests } from './scenarios/issues-and-pulls.js';
import { releaseTests } from './scenarios/releases.js';
import { routeCoverageTests } from './scenarios/route-coverage.js';
import { sandboxCommandTests } from './scenarios/sandbox-command.js';
import { searchTests } from './scenarios/search.js';
import { webhookPayloadTests } from './scenarios/webhook-payloads.js';

forgeCoreTests();
sandboxCommandTests();
contributorFlowTests();

describe('the REST API on a shared forge', () => {
  const h = useForge(['alice', 'bob', 'carol']);
  accountsAndReposTests(h);
  contentsTests(h);
  branchesAndRefsTests(h);
  gitDataAndCommitsTests(h);
  releaseTests(h);
  searchTests(h);
  appEventTests(h);
  appManifestTests(h);
  branchProtectionTests(h);
  issuesAndPullsTests(h);
  webhookPayloadTests(h, [
    'push.',
    'create.',
    'delete.',
    'release.created',
    'release.published',
    'release.released',
    'release.prereleased',
    'release.edited',
    'release.deleted',
    'installation.created',
    'installation_repositories.added',
    'label.created',
    'label.edited',
    'label.deleted',
    'check_suite.requested',
  ]);
});

routeCoverageTests();
