/**
 * The forge's state store: one in-memory `ForgeState`, persisted as `state.json` in the data
 * directory. Every change goes through `write()`, which runs one change at a time and writes the
 * file atomically (temp file + rename) before the next change starts, so concurrent requests can
 * never interleave half-done changes or leave a torn file behind after a crash.
 *
 * The webhook delivery log is the exception: it is most of the state's bytes (every payload, kept
 * for `GET /app/hook/deliveries`) and grows with every event, so it lives in `deliveries.json`,
 * written shortly after it changes and off the write queue. Rewriting it inside every API write
 * made each write cost tens of milliseconds more, and made deliveries wait behind API writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AffineurError } from '../../errors/affineur-error.js';
import { type DeliveryRecord, emptyState, type ForgeState } from './model.js';

/** How long a delivery log change may wait before it is written, so a burst costs one write. */
const deliveryLogDelayMs = 100;

export class StateStore {
  readonly state: ForgeState;
  private readonly file: string;
  private readonly deliveriesFile: string;
  private queue: Promise<unknown> = Promise.resolve();
  private writes = 0;
  private deliveryLogTimer: NodeJS.Timeout | null = null;
  private deliveryLogWrite: Promise<void> = Promise.resolve();

  private constructor(dataDir: string, state: ForgeState) {
    this.file = join(dataDir, 'state.json');
    this.deliveriesFile = join(dataDir, 'deliveries.json');
    this.state = state;
  }

  /** Loads `state.json` from `dataDir`, or starts empty when there is none yet. */
  static open(dataDir: string): StateStore {
    const file = join(dataDir, 'state.json');
    if (!existsSync(file)) return new StateStore(dataDir, emptyState());
    const parsed = readJson(file);
    if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1) {
      throw new AffineurError('AFF_ERR_FORGE_STATE', 'the forge state file has an unknown format version.', {
        file,
        hint: 'Start the forge with a fresh --data directory.',
      });
    }
    const state: ForgeState = { ...emptyState(), ...(parsed as ForgeState) };
    // Data directories written before the log had its own file keep it in state.json.
    const deliveriesFile = join(dataDir, 'deliveries.json');
    if (existsSync(deliveriesFile)) state.deliveries = readJson(deliveriesFile) as DeliveryRecord[];
    return new StateStore(dataDir, state);
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

  /** Appends to the webhook delivery log, keeping its newest `keep` entries. */
  logDelivery(record: DeliveryRecord, keep: number): void {
    const log = this.state.deliveries;
    log.push(record);
    if (log.length > keep) log.splice(0, log.length - keep);
    this.deliveryLogTimer ??= setTimeout(() => {
      this.deliveryLogTimer = null;
      this.deliveryLogWrite = this.deliveryLogWrite.then(() => this.persistDeliveries());
    }, deliveryLogDelayMs);
  }

  /** Resolves once every queued change, and the delivery log, has been written. */
  async flush(): Promise<void> {
    await this.queue;
    if (this.deliveryLogTimer) {
      clearTimeout(this.deliveryLogTimer);
      this.deliveryLogTimer = null;
      this.deliveryLogWrite = this.deliveryLogWrite.then(() => this.persistDeliveries());
    }
    await this.deliveryLogWrite;
  }

  private async persist(): Promise<void> {
    const { deliveries: _log, ...rest } = this.state;
    await this.writeAtomically(this.file, JSON.stringify(rest));
  }

  private async persistDeliveries(): Promise<void> {
    await this.writeAtomically(this.deliveriesFile, JSON.stringify(this.state.deliveries));
  }

  private async writeAtomically(file: string, text: string): Promise<void> {
    this.writes += 1;
    const temp = `${file}.${process.pid}.${this.writes}.tmp`;
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, file);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new AffineurError('AFF_ERR_FORGE_STATE', `the forge state file ${file} is not valid JSON.`, {
      file,
      hint: 'Restore it from a backup, or start the forge with a fresh --data directory.',
      cause,
    });
  }
}
