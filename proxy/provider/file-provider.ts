/**
 * The file provider: `providers.file.filename` or `providers.file.directory` (every .yml,
 * .yaml and .toml file in it and below, merged). With `watch`, it watches the directories rather
 * than the files, because editors save by writing a new file and renaming it over the old one,
 * which a watch on the old file would miss; bursts of events are debounced into one read.
 * A file that does not parse keeps the provider's last good configuration in service.
 */
import { watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { readConfigFile } from '../../src/config/config-file.js';
import type { Logger } from '../../src/log/logger.js';
import { watchDirectoryTree } from './directory-tree-watcher.js';
import type { ConfigDocument, ConfigMessage, Provider } from './provider.js';

const configExtensions = new Set(['.yml', '.yaml', '.toml']);

export interface FileProviderOptions {
  filename?: string | undefined;
  directory?: string | undefined;
  watch: boolean;
  /** Wait this long after the last file event before reading. */
  debounceMs?: number;
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
        emit({ provider: this.name, documents: await this.read() });
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

  /** Reads every file now; throws (AFF_ERR_CONFIG_PARSE/READ) on the first that fails. */
  async read(): Promise<ConfigDocument[]> {
    const files = this.#options.directory
      ? await listConfigFiles(this.#options.directory)
      : [this.#options.filename as string];
    const documents: ConfigDocument[] = [];
    for (const file of files) {
      const parsed = await readConfigFile(file);
      documents.push({ file, value: parsed.value, locate: parsed.locate });
    }
    return documents;
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
