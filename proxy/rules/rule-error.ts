import { AffineurError } from '../../src/errors/affineur-error.js';

/**
 * A rule that cannot be compiled. The message gives the 1-based column in the rule text and
 * what was expected there; the caller adds the router name.
 */
export class RuleError extends AffineurError {
  /** 1-based column in the rule text (its UTF-16 offset + 1) where the problem is. */
  readonly column: number;

  constructor(
    code: 'AFF_ERR_RULE_SYNTAX' | 'AFF_ERR_RULE_INVALID',
    column: number,
    message: string,
    hint?: string,
  ) {
    super(code, `at column ${column}: ${message}`, hint === undefined ? {} : { hint });
    this.name = 'RuleError';
    this.column = column;
  }
}
