/**
 * `affineur demo`: the whole project, offline, in one narrated run. Each act stands alone and
 * cleans up after itself; together they tell the story from proxy to cheese-named release.
 */
import type { CliIo, Command } from '../src/cli/command.js';
import { AffineurError } from '../src/errors/affineur-error.js';
import { communityAct } from './acts/community-act.js';
import { httpsAct } from './acts/https-act.js';
import { providersAct } from './acts/providers-act.js';
import { proxyAct } from './acts/proxy-act.js';
import { Narrator } from './narrator.js';

type Act = (narrator: Narrator) => Promise<void>;

const acts: Record<string, Act> = {
  proxy: proxyAct,
  providers: providersAct,
  https: httpsAct,
  community: communityAct,
};

const help = `Usage: affineur demo [--act=NAME[,NAME...]]

Runs affineur end to end on this machine, with no network and nothing to configure, and
narrates each step. Acts: ${Object.keys(acts).join(', ')} (all by default).
`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the offline demo: proxy, sandbox forge, bot triage, merge queue, cheese release.',
  help,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const chosen = chosenActs(args);
    const narrator = new Narrator(io.stdout, (io.stdout as { isTTY?: boolean }).isTTY === true);
    for (const name of chosen) await (acts[name] as Act)(narrator);
    io.stdout.write('\nThe demo is over; everything it started has been stopped.\n');
    return 0;
  },
};

function chosenActs(args: readonly string[]): string[] {
  const names = Object.keys(acts);
  const option = args.find((arg) => arg.startsWith('--act='));
  const unknownArg = args.find((arg) => !arg.startsWith('--act='));
  if (unknownArg) {
    throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', `unexpected argument "${unknownArg}".`, {
      hint: 'The only option is --act=NAME[,NAME...].',
    });
  }
  if (!option) return names;
  const wanted = option.slice('--act='.length).split(',');
  const unknown = wanted.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', `unknown act "${unknown.join(', ')}".`, {
      hint: `Acts: ${names.join(', ')}.`,
    });
  }
  return wanted;
}
