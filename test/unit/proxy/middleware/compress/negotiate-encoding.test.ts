import { describe, expect, it } from 'vitest';
import {
  defaultEncodings,
  negotiateEncoding,
  shouldCompress,
} from '../../../../../proxy/middleware/compress/negotiate-encoding.js';

const all = () => true;

describe('Accept-Encoding negotiation', () => {
  it.each([
    ['gzip', 'gzip'],
    ['gzip, br', 'br'],
    ['gzip, br, zstd', 'zstd'],
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['identity', undefined],
    ['deflate', undefined],
    ['*', 'zstd'],
    ['*;q=0.5, gzip;q=0', 'zstd'],
    ['GZIP', 'gzip'],
  ])('%j → %s', (header, expected) => {
    expect(negotiateEncoding(header, defaultEncodings, undefined, all)).toBe(expected);
  });

  it('uses defaultEncoding without an Accept-Encoding header, or for a bare wildcard', () => {
    expect(negotiateEncoding(undefined, defaultEncodings, undefined, all)).toBeUndefined();
    expect(negotiateEncoding(undefined, defaultEncodings, 'gzip', all)).toBe('gzip');
    expect(negotiateEncoding('*', defaultEncodings, 'gzip', all)).toBe('gzip');
  });

  it('respects the configured list and its order', () => {
    expect(negotiateEncoding('gzip, br', ['gzip'], undefined, all)).toBe('gzip');
    expect(negotiateEncoding('gzip, br', ['gzip', 'br'], undefined, all)).toBe('gzip');
  });

  it('leaves out encodings this Node cannot produce', () => {
    expect(negotiateEncoding('zstd, gzip', defaultEncodings, undefined, (e) => e !== 'zstd')).toBe('gzip');
  });
});

describe('what gets compressed', () => {
  const rules = { minResponseBodyBytes: 1024, includedContentTypes: [], excludedContentTypes: [] };
  const response = {
    contentType: 'text/html; charset=utf-8',
    contentEncoding: undefined,
    contentLength: 5000,
  };

  it('compresses ordinary bodies above the minimum size', () => {
    expect(shouldCompress(response, rules)).toBe(true);
    expect(shouldCompress({ ...response, contentLength: undefined }, rules)).toBe(true);
    expect(shouldCompress({ ...response, contentLength: 100 }, rules)).toBe(false);
  });

  it('never compresses twice, nor event streams and gRPC', () => {
    expect(shouldCompress({ ...response, contentEncoding: 'br' }, rules)).toBe(false);
    expect(shouldCompress({ ...response, contentType: 'text/event-stream' }, rules)).toBe(false);
    expect(shouldCompress({ ...response, contentType: 'application/grpc+proto' }, rules)).toBe(false);
  });

  it('applies excludedContentTypes and includedContentTypes', () => {
    expect(shouldCompress(response, { ...rules, excludedContentTypes: ['text/html'] })).toBe(false);
    expect(shouldCompress(response, { ...rules, includedContentTypes: ['application/json'] })).toBe(false);
    expect(shouldCompress(response, { ...rules, includedContentTypes: ['text/html; charset=utf-8'] })).toBe(
      true,
    );
  });
});
