/**
 * `affineur sandbox`: runs the forge in the foreground until SIGINT/SIGTERM and prints how to
 * reach it — one JSON line with `--json`, for scripts and other suites.
 */
import type { CliIo, Command } from '../../cli/command.js';
import { AffineurError } from '../../errors/affineur-error.js';
import { type RunningForge, startForge } from '../start-forge.js';
import type { CiRule } from '../state/model.js';

interface SandboxArgs {
  port: number;
  dataDir?: string;
  json: boolean;
  ci: CiRule | null;
}

const ciModes = ['success', 'message'] as const;

export function parseSandboxArgs(args: readonly string[]): SandboxArgs {
  const parsed: SandboxArgs = { port: 0, json: false, ci: null };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined)
        throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', `${flag} needs a value.`, {
          hint: 'Run `affineur sandbox --help`.',
        });
      return v;
    };
    if (flag === '--json') parsed.json = true;
    else if (flag === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', `--port must be a port number (0-65535).`, {
          hint: 'Use --port 0 to pick a free port.',
        });
      }
      parsed.port = port;
    } else if (flag === '--data') parsed.dataDir = value();
    else if (flag === '--ci') {
      const mode = value();
      if (!(ciModes as readonly string[]).includes(mode)) {
        throw new AffineurError(
          'AFF_ERR_CLI_BAD_ARGUMENT',
          `--ci must be one of ${ciModes.join(', ')}, not "${mode}".`,
        );
      }
      parsed.ci = { report: 'status', name: 'sandbox-ci', mode: mode as CiRule['mode'] };
    } else {
      throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', `unknown option "${arg}".`, {
        hint: 'Run `affineur sandbox --help`.',
      });
    }
  }
  return parsed;
}

/** Something started next to the forge in the same process (e.g. the bot), stopped before it. */
export interface StartedApps {
  close(): Promise<void>;
}

export interface SandboxCommandOptions {
  /**
   * Starts other apps against the running forge. `bin/main.ts` injects the bot this way, so
   * `src/` never imports `bot/` (the import directions forbid it).
   */
  startApps?: (forge: RunningForge) => Promise<StartedApps>;
  /** Resolves when the sandbox should stop; SIGINT or SIGTERM by default. */
  untilStopped?: () => Promise<void>;
}

const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

export function createSandboxCommand(options: SandboxCommandOptions = {}): Command {
  return {
    name: 'sandbox',
    summary:
      'Run a local GitHub-compatible forge (git over HTTP, REST API, signed webhooks) with an app installed.',
    help: `Usage: affineur sandbox [--port N] [--data DIR] [--json] [--ci success|message]

Starts the sandbox forge: a local GitHub-compatible server with real git repositories served
over HTTP, the REST API under /api/v3, and a GitHub App installed on every repository.

Options:
  --port N      Port to listen on (default 0: a free port).
  --data DIR    Where state and repositories live (default: a temp directory removed on exit).
                State in DIR survives restarts.
  --json        Print one JSON line {api, git, token, appId, installationId} and nothing else.
  --ci MODE     Give every repository a CI rule reporting the status "sandbox-ci" after each
                push: "success" always passes, "message" fails when the commit message has [fail].

Stop with Ctrl-C. See docs/sandbox.md.
`,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const parsed = parseSandboxArgs(args);
      const forge = await startForge({
        port: parsed.port,
        ...(parsed.dataDir ? { dataDir: parsed.dataDir } : {}),
        defaultCiRule: parsed.ci,
      });
      let apps: StartedApps | undefined;
      try {
        apps = await options.startApps?.(forge);
      } catch (error) {
        await forge.close();
        throw error;
      }
      if (parsed.json) {
        io.stdout.write(
          `${JSON.stringify({ api: forge.apiUrl, git: forge.gitUrl, token: forge.adminToken, appId: forge.app.id, installationId: forge.app.installationId })}\n`,
        );
      } else {
        io.stdout.write(
          [
            'affineur sandbox forge is running.',
            `  REST API:        ${forge.apiUrl}`,
            `  git over HTTP:   ${forge.gitUrl}/<owner>/<repo>.git`,
            `  admin token:     ${forge.adminToken}  (user "${forge.adminLogin}", site admin)`,
            `  app:             id ${forge.app.id}, installation ${forge.app.installationId}`,
            `  app private key: ${forge.dataDir}/app-private-key.pem`,
            `  data directory:  ${forge.dataDir}`,
            'Press Ctrl-C to stop.',
            '',
          ].join('\n'),
        );
      }
      await (options.untilStopped ?? untilSignal)();
      await apps?.close();
      await forge.close();
      return 0;
    },
  };
}

/** `affineur sandbox` with the forge alone. */
export const sandboxCommand: Command = createSandboxCommand();
