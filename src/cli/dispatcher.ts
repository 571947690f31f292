import { suggestClosest } from '../config/suggest.js';
import { AffineurError } from '../errors/affineur-error.js';
import type { CliIo, Command } from './command.js';

const usage = (commands: readonly Command[]) => {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  return [
    'affineur: a Traefik-compatible reverse proxy, with the bot and release tooling of its community.',
    '',
    'Usage: affineur <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `affineur <command> --help` for the options of a command.',
    '',
  ].join('\n');
};

/** Runs one CLI invocation and returns the exit code. Errors become a clear message, never a stack. */
export async function runCli(
  argv: readonly string[],
  commands: readonly Command[],
  io: CliIo,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === args[0]) : undefined;
    io.stdout.write(topic ? `${topic.help.trimEnd()}\n` : usage(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const suggestion = suggestClosest(
      name,
      commands.map((c) => c.name),
    );
    const error = new AffineurError('AFF_ERR_CLI_UNKNOWN_COMMAND', `unknown command "${name}".`, {
      hint: suggestion ? `Did you mean "${suggestion}"?` : 'Run `affineur --help` for the list.',
    });
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${command.help.trimEnd()}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof AffineurError) {
      io.stderr.write(`${error.message}\n`);
      return error.code === 'AFF_ERR_CLI_BAD_ARGUMENT' ? 2 : 1;
    }
    throw error;
  }
}
