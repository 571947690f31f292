import { describe, expect, it } from 'vitest';
import { compileRetryExpression } from '../../../../../proxy/middleware/buffering/retry-expression.js';

const facts = (responseCode: number, attempts = 1, method = 'GET') => ({ responseCode, attempts, method });

describe('buffering retry expressions (oxy syntax)', () => {
  it('evaluates the documented example', () => {
    const retry = compileRetryExpression('IsNetworkError() && Attempts() < 2');
    expect(retry(facts(502, 1))).toBe(true);
    expect(retry(facts(504, 1))).toBe(true);
    expect(retry(facts(502, 2))).toBe(false);
    expect(retry(facts(500, 1))).toBe(false);
  });

  it('supports ||, !, parentheses, ResponseCode() and RequestMethod()', () => {
    const retry = compileRetryExpression(
      '(ResponseCode() == 503 || ResponseCode() >= 520) && !(RequestMethod() == "POST")',
    );
    expect(retry(facts(503))).toBe(true);
    expect(retry(facts(521))).toBe(true);
    expect(retry(facts(503, 1, 'POST'))).toBe(false);
    expect(retry(facts(500))).toBe(false);
  });

  it('says where an expression is wrong', () => {
    expect(() => compileRetryExpression('IsNetworkError() &&')).toThrow(/expected an operand at column 20/);
    expect(() => compileRetryExpression('Attempt() < 2')).toThrow(/one of IsNetworkError.*found "Attempt"/);
    expect(() => compileRetryExpression('Attempts() < 2 )')).toThrow(/column 16/);
  });
});
