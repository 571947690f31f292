/**
 * Assembles the CLI: each area contributes its commands here. This file sits outside src/ so
 * that the shared kernel never imports the areas built on it.
 */

import { actionCommand } from '../bot/action/action-command.js';
import { botCommand } from '../bot/bot-command.js';
import { housekeepingCommand } from '../bot/housekeeping/housekeeping-command.js';
import { startBotForForge } from '../bot/sandbox-bot.js';
import { demoCommand } from '../demo/demo-command.js';
import { proxyCommand } from '../proxy/proxy-command.js';
import { releaseCommand } from '../release/cli/release-command.js';
import type { Command } from '../src/cli/command.js';
import { runCli } from '../src/cli/dispatcher.js';
import { createSandboxCommand } from '../src/forge/cli/sandbox-command.js';

/** `affineur sandbox` runs the bot beside the forge, as the forge's installed app. */
const sandboxCommand = createSandboxCommand({ startApps: (forge) => startBotForForge(forge, process.env) });

export const commands: readonly Command[] = [
  demoCommand,
  proxyCommand,
  sandboxCommand,
  botCommand,
  releaseCommand,
  housekeepingCommand,
  actionCommand,
];

export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, commands, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
}
