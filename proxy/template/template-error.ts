/**
 * A template that does not parse or fails to render. It names the template (the file), the line
 * and the column (1-based, counted in characters) of the action at fault, as Go's own
 * `template: name:line:col:` prefix does.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';

export class TemplateError extends AffineurError {
  /** 1-based column on `line` of the action at fault. */
  readonly column: number;

  constructor(message: string, name: string, source: string, pos: number, cause?: unknown) {
    const { line, column } = lineAndColumn(source, pos);
    super('AFF_ERR_PROXY_TEMPLATE', `template: ${message}`, {
      file: name,
      line,
      column,
      hint: 'Fix the template at that place (Go text/template syntax, Sprig functions).',
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = 'TemplateError';
    this.column = column;
  }
}

export function lineAndColumn(source: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}
