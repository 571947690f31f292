/**
 * The file provider: `providers.file.filename` or `providers.file.directory` (every .yml,
 * .yaml and .toml file in it and below, merged). With `watch`, it watches the directories rather
 * than the files, because editors save by writing a new file and renaming it over the old one,
 * which a watch on the old file would miss; bursts of events are debounced into one read.
 * Each file is a Go template first (as in Traefik, rendered with the data `false` and Sprig's
 * functions), then YAML or TOML. A file that does not render or parse keeps the provider's last
 * good configuration in service. The install file itself may be one of them (Traefik's
 * single-file setup): only its routing sections are read.
 */
import { watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { formatFromPath, parseConfigText } from '../../src/config/config-file.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import { routingSectionsOf, samePath } from '../config/install-file-routing.js';
import { renderTemplate } from '../template/render-template.js';
import { watchDirectoryTree } from './directory-tree-watcher.js';
import type { ConfigDocument, ConfigMessage, Provider } from './provider.js';

const configExtensions = new Set(['.yml', '.yaml', '.toml']);

export interface FileProviderOptions {
  filename?: string | undefined;
  directory?: string | undefined;
  watch: boolean;
  /** Wait this long after the last file event before reading. */
  debounceMs?: number;
  /** Log each file's template and what it rendered, at debug level. */
  debugLogGeneratedTemplate?: boolean | undefined;
  /** The install configuration file: when the provider reads it, only its routing sections count. */
  installFile?: string | undefined;
}

export class FileProvider implements Provider {
  readonly name = 'file';
  readonly #options: FileProviderOptions;

  constructor(options: FileProviderOptions) {
    this.#options = options;
  }

  async start(emit: (message: ConfigMessage) => void, signal: AbortSignal, logger: Logger): Promise<void> {
    const read = async () => {
      try {
        emit({ provider: this.name, documents: await this.read(logger) });
      } catch (error) {
        logger.error(
          { err: error, provider: this.name },
          `${(error as Error).message} (the last good configuration stays in service)`,
        );
      }
    };
    await read();
    if (!this.#options.watch || signal.aborted) return;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void read(), this.#options.debounceMs ?? 100);
    };
    let timer: NodeJS.Timeout | undefined;
    let stopWatching: () => void;
    const directory = this.#options.directory ? resolve(this.#options.directory) : undefined;
    const watched = directory ?? dirname(resolve(this.#options.filename as string));
    try {
      if (directory) {
        // A directory is read with its subdirectories (as Traefik does), so it is watched with them.
        const tree = watchDirectoryTree(directory, schedule, (error, where) =>
          logger.error({ err: error }, `watching ${where} failed`),
        );
        stopWatching = () => tree.close();
      } else {
        const onlyFile = basename(this.#options.filename as string);
        const watcher = watch(watched, (_event, file) => {
          if (file && file !== onlyFile) return;
          schedule();
        });
        watcher.on('error', (error) => logger.error({ err: error }, `watching ${watched} failed`));
        stopWatching = () => watcher.close();
      }
    } catch (error) {
      logger.error({ err: error }, `cannot watch ${watched}; configuration changes will not be applied`);
      return;
    }
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      stopWatching();
    });
  }

  /** Reads every file now; throws (AFF_ERR_CONFIG_PARSE/READ, AFF_ERR_PROXY_TEMPLATE) on the first that fails. */
  async read(logger?: Logger): Promise<ConfigDocument[]> {
    const files = this.#options.directory
      ? await listConfigFiles(this.#options.directory)
      : [this.#options.filename as string];
    const { installFile } = this.#options;
    const documents: ConfigDocument[] = [];
    for (const file of files) {
      const format = formatFromPath(file);
      const template = await readText(file);
      // Traefik's file provider executes each file with the data `false`.
      const rendered = renderTemplate(template, false, { name: file });
      if (this.#options.debugLogGeneratedTemplate && logger) {
        logger.debug({ file, template, rendered }, `template of ${file} rendered`);
      }
      const parsed = parseConfigText(rendered, file, format);
      const isInstallFile = installFile !== undefined && samePath(file, installFile);
      const value = isInstallFile ? routingSectionsOf(parsed.value) : parsed.value;
      documents.push({ file, value, locate: parsed.locate });
    }
    return documents;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new AffineurError('AFF_ERR_CONFIG_READ', `the dynamic configuration file ${reason}.`, {
      file,
      cause,
      hint: 'Check providers.file.filename or providers.file.directory.',
    });
  }
}

async function listConfigFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && configExtensions.has(extname(entry.name).toLowerCase()))
    .filter((entry) => !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath ?? directory, entry.name))
    .sort();
}
