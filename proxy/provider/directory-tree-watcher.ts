/**
 * Watches a directory and every directory below it, including ones created later. Node's own
 * `fs.watch(dir, { recursive: true })` on Linux (Node 20) loses a file once it has been
 * replaced by a rename, which is how editors and config tools save; so each directory gets a
 * plain, non-recursive watch, and the set of watched directories is brought up to date after
 * every event.
 */
import { type FSWatcher, watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface DirectoryTreeWatcher {
  close(): void;
}

export function watchDirectoryTree(
  root: string,
  onChange: () => void,
  onError: (error: Error, directory: string) => void,
): DirectoryTreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  let syncing: Promise<void> | undefined;
  let syncAgain = false;

  const add = (directory: string) => {
    try {
      const watcher = watch(directory, () => {
        onChange();
        requestSync();
      });
      // A watched subdirectory that is removed ends its watch with an error: forget it quietly.
      watcher.on('error', () => forget(directory));
      watchers.set(directory, watcher);
    } catch (error) {
      if (directory === root) throw error;
    }
  };
  const forget = (directory: string) => {
    watchers.get(directory)?.close();
    watchers.delete(directory);
  };

  /** Watches the directories that appeared and drops the ones that are gone. */
  const sync = async () => {
    let directories: string[];
    try {
      const entries = await readdir(root, { withFileTypes: true, recursive: true });
      directories = entries
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(entry.parentPath ?? root, entry.name));
    } catch (error) {
      onError(error as Error, root);
      return;
    }
    if (closed) return;
    const current = new Set([root, ...directories]);
    for (const directory of watchers.keys()) if (!current.has(directory)) forget(directory);
    for (const directory of current) if (!watchers.has(directory)) add(directory);
  };
  const requestSync = () => {
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = sync().finally(() => {
      syncing = undefined;
      if (syncAgain && !closed) {
        syncAgain = false;
        requestSync();
      }
    });
  };

  add(root);
  requestSync();
  return {
    close() {
      closed = true;
      for (const directory of [...watchers.keys()]) forget(directory);
    },
  };
}
