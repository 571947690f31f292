/**
 * The sandbox forge's integration suite. Every scenario runs in this one file (one worker), so
 * the last test can check that each REST route the forge registers had at least one response
 * validated against GitHub's OpenAPI description somewhere in the suite.
 */
import { describe } from 'vitest';
import { useForge } from '../../support/forge-harness.js';
import { contentsTests } from './scenarios/contents.js';
import { contributorFlowTests } from './scenarios/contributor-flow.js';
import { forgeCoreTests } from './scenarios/forge-core.js';

forgeCoreTests();
contributorFlowTests();

describe('the REST API on a shared forge', () => {
  const h = useForge(['alice', 'bob', 'carol']);
  contentsTests(h);
});
