/**
 * `affineur action`: the entry point of action.yml. Runs the bot once on the workflow's event;
 * errors become a workflow error annotation (`::error::`) and exit code 1.
 */
import type { Command } from '../../src/cli/command.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
import { createLogger } from '../../src/log/logger.js';
import { runAction } from './run-action.js';

const help = `Usage: affineur action

Runs the affineur bot once, inside GitHub Actions, on the event that started the workflow
(see action.yml and docs/deploy.md). Reads what Actions sets: GITHUB_EVENT_NAME,
GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL; and GITHUB_TOKEN from the action's input.
On \`schedule\` and \`workflow_dispatch\` it runs the housekeeping of .github/affineur.yml.
AFFINEUR_DRY_RUN=true logs every action instead of doing it.`;

export const actionCommand: Command = {
  name: 'action',
  summary: 'Run the bot once on a GitHub Actions event (action.yml).',
  help,
  async run(_args, io) {
    const log = createLogger({ name: 'affineur-action', format: 'json', destination: process.stdout });
    try {
      const outcome = await runAction(io.env, log);
      log.info(outcome, 'affineur action done');
      return 0;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A workflow command: shows up as an error annotation on the run.
      io.stdout.write(
        `::error title=affineur::${message.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')}\n`,
      );
      return error instanceof AffineurError ? 1 : 2;
    }
  },
};
