/**
 * A body held for the buffering middleware: in memory up to `memBytes`, then in a temporary
 * file, so a large upload or response does not sit in the heap. It can be read any number of
 * times (each retry reads it again) and is removed by `dispose()`.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export class SpooledBody {
  readonly #memBytes: number;
  #chunks: Buffer[] = [];
  #file: { dir: string; path: string; stream: WriteStream } | undefined;
  size = 0;

  constructor(memBytes: number) {
    this.#memBytes = memBytes;
  }

  /** Appends a chunk; returns false when the file write wants the writer to wait for `drained`. */
  append(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (!this.#file && this.size <= this.#memBytes) {
      this.#chunks.push(chunk);
      return true;
    }
    if (!this.#file) {
      const dir = mkdtempSync(join(tmpdir(), 'affineur-buffer-'));
      const path = join(dir, 'body');
      const stream = createWriteStream(path, { mode: 0o600 });
      this.#file = { dir, path, stream };
      for (const held of this.#chunks) stream.write(held);
      this.#chunks = [];
    }
    return this.#file.stream.write(chunk);
  }

  get inMemory(): boolean {
    return this.#file === undefined;
  }

  /** Waits for the file (if any) to be fully written. */
  finish(): Promise<void> {
    const file = this.#file;
    if (!file) return Promise.resolve();
    return new Promise((resolve, reject) => {
      file.stream.once('error', reject);
      file.stream.end(() => resolve());
    });
  }

  drained(callback: () => void): void {
    this.#file?.stream.once('drain', callback);
  }

  /** The whole body: a Buffer when it stayed in memory, else a new stream over the file. */
  read(): Buffer | Readable {
    if (!this.#file)
      return this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    return createReadStream(this.#file.path);
  }

  dispose(): void {
    const file = this.#file;
    this.#file = undefined;
    this.#chunks = [];
    if (!file) return;
    file.stream.destroy();
    rmSync(file.dir, { recursive: true, force: true });
  }
}
