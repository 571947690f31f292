import { describe, expect, it } from 'vitest';
import { sniffContentType } from '../../../../../proxy/middleware/content-type/sniff-content-type.js';

describe('content type sniffing (Go DetectContentType rules)', () => {
  it.each([
    ['  <!DOCTYPE html><html>', 'text/html; charset=utf-8'],
    ['<p>hello</p>', 'text/html; charset=utf-8'],
    ['<pre>not a tag we know', 'text/plain; charset=utf-8'],
    ['<?xml version="1.0"?>', 'text/xml; charset=utf-8'],
    ['%PDF-1.7', 'application/pdf'],
    ['{"json": true}', 'text/plain; charset=utf-8'],
    ['GIF89a....', 'image/gif'],
  ])('%j → %s', (text, type) => {
    expect(sniffContentType(Buffer.from(text, 'latin1'))).toBe(type);
  });

  it('recognises binary signatures and falls back to octet-stream for binary bytes', () => {
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      'image/png',
    );
    expect(sniffContentType(Buffer.from([0x1f, 0x8b, 0x08, 0]))).toBe('application/x-gzip');
    expect(sniffContentType(Buffer.from([0x01, 0x02, 0x03]))).toBe('application/octet-stream');
  });
});
