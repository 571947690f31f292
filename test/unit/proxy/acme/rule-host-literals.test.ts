import { describe, expect, it } from 'vitest';
import { ruleHostLiterals } from '../../../../proxy/acme/rule-host-literals.js';

describe('ruleHostLiterals', () => {
  it('collects the values of Host matchers anywhere in the rule, lower-cased, once each', () => {
    expect(ruleHostLiterals('Host(`Example.com`) || (Host(`www.example.com`) && PathPrefix(`/a`))')).toEqual([
      'example.com',
      'www.example.com',
    ]);
    expect(ruleHostLiterals('host(`a.test`) || Host(`A.test`)')).toEqual(['a.test']);
  });

  it('leaves out negated hosts, HostRegexp and rules without Host', () => {
    expect(ruleHostLiterals('Host(`a.test`) && !Host(`b.test`)')).toEqual(['a.test']);
    expect(ruleHostLiterals('!(!Host(`c.test`))')).toEqual(['c.test']);
    expect(ruleHostLiterals('HostRegexp(`^.+\\.test$`)')).toEqual([]);
    expect(ruleHostLiterals('PathPrefix(`/`)')).toEqual([]);
  });

  it("throws the rule's own error when it does not parse", () => {
    expect(() => ruleHostLiterals('Host(`a.test`')).toThrow(/AFF_ERR_RULE_SYNTAX/);
  });
});
