/**
 * Media type sniffing for the contentType middleware, after the WHATWG MIME sniffing rules
 * that Go's http.DetectContentType follows (the subset that matters for HTTP responses): it
 * looks at the first 512 bytes only and never says more than those bytes prove.
 */

const htmlTags = [
  '<!DOCTYPE HTML',
  '<HTML',
  '<HEAD',
  '<SCRIPT',
  '<IFRAME',
  '<H1',
  '<DIV',
  '<FONT',
  '<TABLE',
  '<A',
  '<STYLE',
  '<TITLE',
  '<B',
  '<BODY',
  '<BR',
  '<P',
  '<!--',
];

const signatures: readonly [bytes: readonly (number | undefined)[], type: string][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'application/pdf'],
  [[...'%!PS-Adobe-'].map((c) => c.charCodeAt(0)), 'application/postscript'],
  [[0xfe, 0xff], 'text/plain; charset=utf-16be'],
  [[0xff, 0xfe], 'text/plain; charset=utf-16le'],
  [[0xef, 0xbb, 0xbf], 'text/plain; charset=utf-8'],
  [[0x00, 0x00, 0x01, 0x00], 'image/x-icon'],
  [[0x00, 0x00, 0x02, 0x00], 'image/x-icon'],
  [[0x42, 0x4d], 'image/bmp'],
  [[...'GIF87a'].map((c) => c.charCodeAt(0)), 'image/gif'],
  [[...'GIF89a'].map((c) => c.charCodeAt(0)), 'image/gif'],
  [
    [0x52, 0x49, 0x46, 0x46, undefined, undefined, undefined, undefined, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50],
    'image/webp',
  ],
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[0x4f, 0x67, 0x67, 0x53, 0x00], 'application/ogg'],
  [[0x49, 0x44, 0x33], 'audio/mpeg'],
  [[0x1f, 0x8b, 0x08], 'application/x-gzip'],
  [[0x50, 0x4b, 0x03, 0x04], 'application/zip'],
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], 'application/x-rar-compressed'],
  [[0x00, 0x61, 0x73, 0x6d], 'application/wasm'],
  [[0x77, 0x4f, 0x46, 0x46], 'font/woff'],
  [[0x77, 0x4f, 0x46, 0x32], 'font/woff2'],
];

export function sniffContentType(data: Buffer): string {
  const head = data.subarray(0, 512);
  let start = 0;
  while (start < head.length && isWhitespace(head[start] as number)) start++;
  const text = head
    .subarray(start, start + 16)
    .toString('latin1')
    .toUpperCase();
  for (const tag of htmlTags) {
    if (!text.startsWith(tag)) continue;
    const after = head[start + tag.length];
    if (after === 0x20 || after === 0x3e) return 'text/html; charset=utf-8';
  }
  if (text.startsWith('<?XML')) return 'text/xml; charset=utf-8';
  for (const [bytes, type] of signatures) {
    if (bytes.length <= head.length && bytes.every((b, i) => b === undefined || head[i] === b)) return type;
  }
  for (const byte of head) if (isBinary(byte)) return 'application/octet-stream';
  return 'text/plain; charset=utf-8';
}

function isWhitespace(b: number): boolean {
  return b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x20;
}

function isBinary(b: number): boolean {
  return b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f);
}
