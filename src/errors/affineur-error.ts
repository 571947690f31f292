import type { ErrorCode } from './catalog.js';

export interface ErrorDetails {
  /** The file the problem is in, when there is one. */
  file?: string;
  /** 1-based line in that file, when it could be located. */
  line?: number;
  /** 1-based column on that line, for errors inside a line (a template action). */
  column?: number;
  /** Dotted key path, e.g. `entryPoints.web.address`. */
  keyPath?: string;
  /** How to fix it, in one sentence. */
  hint?: string;
  cause?: unknown;
}

/**
 * Every error affineur raises on purpose. The message already says what, where and how to fix;
 * the structured fields let callers (a check run, a JSON log line) present it their own way.
 */
export class AffineurError extends Error {
  readonly code: ErrorCode;
  /** The message as given, without the code, place and key path that `message` adds. */
  readonly detail: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly keyPath: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(formatMessage(code, message, details), details.cause === undefined ? {} : { cause: details.cause });
    this.name = 'AffineurError';
    this.code = code;
    this.detail = message;
    this.file = details.file;
    this.line = details.line;
    this.keyPath = details.keyPath;
    this.hint = details.hint;
  }
}

function formatMessage(code: ErrorCode, message: string, details: ErrorDetails): string {
  const column = details.line && details.column ? `:${details.column}` : '';
  const where = details.file ? `${details.file}${details.line ? `:${details.line}${column}` : ''}: ` : '';
  const key = details.keyPath ? `${details.keyPath}: ` : '';
  const hint = details.hint ? ` ${details.hint}` : '';
  return `${code}: ${where}${key}${message}${hint}`;
}

/** Several problems found in one pass, so a user fixes them all at once instead of one per run. */
export class AffineurErrorList extends AffineurError {
  readonly errors: readonly AffineurError[];

  constructor(errors: readonly AffineurError[]) {
    const first = errors[0];
    if (!first) throw new TypeError('AffineurErrorList needs at least one error');
    super(first.code, `${errors.length} problem(s):\n${errors.map((e) => `  - ${e.message}`).join('\n')}`);
    this.errors = errors;
  }
}
