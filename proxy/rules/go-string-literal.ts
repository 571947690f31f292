/**
 * Decodes the body of a Go interpreted string literal ("..."), since Traefik rule values are
 * Go string literals. Go allows byte escapes (\xNN, \NNN) that need not form valid UTF-8; we
 * assemble bytes and decode them as UTF-8 (an invalid sequence becomes U+FFFD).
 */

/** Where an escape went wrong, relative to the start of the literal's body. */
export interface StringLiteralProblem {
  offset: number;
  message: string;
}

const simpleEscapes: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
  '"': 0x22,
};

const hexDigit = /^[0-9a-fA-F]$/;

export function decodeGoInterpretedString(body: string): string | StringLiteralProblem {
  // Fast path: nothing to decode.
  if (!body.includes('\\')) return body;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const codePoint = body.codePointAt(i)!;
      const text = String.fromCodePoint(codePoint);
      for (const b of encoder.encode(text)) bytes.push(b);
      i += text.length;
      continue;
    }
    const kind = body[i + 1];
    if (kind === undefined) return { offset: i, message: 'a backslash ends the string' };
    const simple = simpleEscapes[kind];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
      continue;
    }
    if (kind === 'x' || kind === 'u' || kind === 'U') {
      const width = kind === 'x' ? 2 : kind === 'u' ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + width);
      if (digits.length !== width || ![...digits].every((d) => hexDigit.test(d))) {
        return { offset: i, message: `\\${kind} must be followed by exactly ${width} hexadecimal digits` };
      }
      const value = Number.parseInt(digits, 16);
      if (kind === 'x') {
        bytes.push(value);
      } else {
        if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
          return { offset: i, message: `\\${kind}${digits} is not a valid Unicode code point` };
        }
        for (const b of encoder.encode(String.fromCodePoint(value))) bytes.push(b);
      }
      i += 2 + width;
      continue;
    }
    if (kind >= '0' && kind <= '7') {
      const digits = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) {
        return { offset: i, message: 'an octal escape needs exactly three octal digits, like \\101' };
      }
      const value = Number.parseInt(digits, 8);
      if (value > 255) return { offset: i, message: `octal escape \\${digits} is above \\377` };
      bytes.push(value);
      i += 4;
      continue;
    }
    return {
      offset: i,
      message: `unknown escape sequence \\${kind} (in double quotes a backslash must be doubled; backticks take the text as is)`,
    };
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
