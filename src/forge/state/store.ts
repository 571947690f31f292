/**
 * The forge's state store: one in-memory `ForgeState`, persisted as `state.json` in the data
 * directory. Every change goes through `write()`, which runs one change at a time and writes the
 * file atomically (temp file + rename) before the next change starts, so concurrent requests can
 * never interleave half-done changes or leave a torn file behind after a crash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AffineurError } from '../../errors/affineur-error.js';
import { emptyState, type ForgeState } from './model.js';

export class StateStore {
  readonly state: ForgeState;
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();
  private writes = 0;

  private constructor(file: string, state: ForgeState) {
    this.file = file;
    this.state = state;
  }

  /** Loads `state.json` from `dataDir`, or starts empty when there is none yet. */
  static open(dataDir: string): StateStore {
    const file = join(dataDir, 'state.json');
    if (!existsSync(file)) return new StateStore(file, emptyState());
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new AffineurError('AFF_ERR_FORGE_STATE', `the forge state file is not valid JSON.`, {
        file,
        hint: 'Restore it from a backup, or start the forge with a fresh --data directory.',
        cause,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1) {
      throw new AffineurError('AFF_ERR_FORGE_STATE', 'the forge state file has an unknown format version.', {
        file,
        hint: 'Start the forge with a fresh --data directory.',
      });
    }
    return new StateStore(file, { ...emptyState(), ...(parsed as ForgeState) });
  }

  /** A fresh id, unique across every kind of record (GitHub ids are global too). */
  nextId(): number {
    const id = this.state.nextId;
    this.state.nextId += 1;
    return id;
  }

  /**
   * Runs `change` alone (after every change queued before it) and persists the state when it
   * ends, whether it succeeded or threw: a handler that failed half-way must not leave memory and
   * disk disagreeing.
   */
  write<T>(change: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(async () => {
      try {
        return await change();
      } finally {
        await this.persist();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every queued change has been written. */
  async flush(): Promise<void> {
    await this.queue;
  }

  private async persist(): Promise<void> {
    this.writes += 1;
    const temp = `${this.file}.${process.pid}.${this.writes}.tmp`;
    await writeFile(temp, JSON.stringify(this.state), { mode: 0o600 });
    await rename(temp, this.file);
  }
}
