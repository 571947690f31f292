/**
 * The contract every area implements to appear in the `affineur` CLI. The dispatcher in
 * src/ knows nothing of the areas; bin/affineur.ts hands it the list, which keeps the import
 * direction `src` ← everything else.
 */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export interface Command {
  name: string;
  /** One line for `affineur --help`. */
  summary: string;
  /** The full text for `affineur <name> --help`. */
  help: string;
  /** Runs the command; resolves to the process exit code. Long-running commands resolve on shutdown. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
