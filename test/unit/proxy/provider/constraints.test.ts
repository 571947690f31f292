import { describe, expect, it } from 'vitest';
import { compileConstraints } from '../../../../proxy/provider/constraints/compile-constraints.js';

const labels = { 'a.b': 'c', zone: 'eu-west-1', tier: 'front' };
const match = (expression: string) => compileConstraints(expression, 'providers.docker.constraints')(labels);

describe('constraints expressions', () => {
  it('matches Label exactly and LabelRegex unanchored, as Go does', () => {
    expect(match('Label(`a.b`, `c`)')).toBe(true);
    expect(match('Label(`a.b`, `C`)')).toBe(false);
    expect(match('Label(`missing`, ``)')).toBe(false);
    expect(match('LabelRegex(`zone`, `west`)')).toBe(true);
    expect(match('LabelRegex(`zone`, `^west`)')).toBe(false);
    expect(match('LabelRegex("zone", "^eu-.+-\\d$")')).toBe(true);
  });

  it('combines with ! over && over ||, and parentheses', () => {
    expect(match('Label(`tier`, `back`) || Label(`a.b`, `c`) && Label(`zone`, `x`)')).toBe(false);
    expect(match('(Label(`tier`, `back`) || Label(`a.b`, `c`)) && !Label(`zone`, `x`)')).toBe(true);
    expect(match('!Label(`tier`, `front`) || Label(`zone`, `eu-west-1`)')).toBe(true);
    expect(match('!!Label(`tier`, `front`)')).toBe(true);
    expect(match('')).toBe(true);
  });

  it('refuses malformed expressions with the column and the key path', () => {
    expect(() => match('Label(`a`, `b`) &&')).toThrow(
      /AFF_ERR_PROVIDER_CONSTRAINT: providers.docker.constraints: .*column 19/,
    );
    expect(() => match('Tag(`a`, `b`)')).toThrow(/unknown constraint function Tag/);
    expect(() => match('Label(`a`)')).toThrow(/takes 2 arguments/);
    expect(() => match('LabelRegex(`a`, `(`)')).toThrow(/invalid regular expression/);
    expect(() => match('Label(`a`, `b`')).toThrow(/expected "\)"/);
    expect(() => match('Label(`a, `b`)')).toThrow(/unexpected|unterminated/);
  });
});
