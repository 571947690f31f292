/**
 * Picks the response encoding for the compress middleware from the request's Accept-Encoding,
 * honouring q-values (`q=0` refuses), `*`, and the configured order to break ties, as Traefik.
 */
import * as zlib from 'node:zlib';

export type Encoding = 'zstd' | 'br' | 'gzip';

/** Traefik's default priority order. */
export const defaultEncodings: readonly Encoding[] = ['zstd', 'br', 'gzip'];

/**
 * zstd comes from Node's own zlib, which has it from Node 22.15 / 23.8; on older Node it is
 * left out of negotiation rather than pulled in through a native add-on.
 */
export const zstdAvailable =
  typeof (zlib as { createZstdCompress?: unknown }).createZstdCompress === 'function';

export function negotiateEncoding(
  acceptEncoding: string | undefined,
  encodings: readonly Encoding[],
  defaultEncoding: Encoding | undefined,
  available: (encoding: Encoding) => boolean = (e) => e !== 'zstd' || zstdAvailable,
): Encoding | undefined {
  const offered = encodings.filter(available);
  if (acceptEncoding === undefined || acceptEncoding.trim() === '') {
    return defaultEncoding && offered.includes(defaultEncoding) ? defaultEncoding : undefined;
  }
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    if (name !== '' && Number.isFinite(weight)) weights.set(name.trim().toLowerCase(), weight);
  }
  const wildcard = weights.get('*');
  let best: { encoding: Encoding; weight: number } | undefined;
  for (const encoding of offered) {
    const explicit = weights.get(encoding);
    const weight =
      explicit ?? (wildcard !== undefined && defaultEncoding === undefined ? wildcard : undefined);
    if (weight === undefined || weight <= 0) continue;
    if (!best || weight > best.weight) best = { encoding, weight };
  }
  if (best) return best.encoding;
  // A bare `*` with a default encoding configured means "the default".
  if (wildcard !== undefined && wildcard > 0 && defaultEncoding && offered.includes(defaultEncoding)) {
    return weights.get(defaultEncoding) === 0 ? undefined : defaultEncoding;
  }
  return undefined;
}

/** Whether a response of this type and size should be compressed at all. */
export function shouldCompress(
  response: {
    contentType: string | undefined;
    contentEncoding: string | undefined;
    contentLength: number | undefined;
  },
  rules: {
    minResponseBodyBytes: number;
    includedContentTypes: readonly string[];
    excludedContentTypes: readonly string[];
  },
): boolean {
  // Never compress twice.
  if (response.contentEncoding && response.contentEncoding !== 'identity') return false;
  if (response.contentLength !== undefined && response.contentLength < rules.minResponseBodyBytes)
    return false;
  const mediaType = (response.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // Streams that must reach the client as they are produced.
  if (mediaType === 'text/event-stream' || mediaType.startsWith('application/grpc')) return false;
  if (rules.includedContentTypes.length > 0)
    return rules.includedContentTypes.some((t) => sameMediaType(t, mediaType));
  return !rules.excludedContentTypes.some((t) => sameMediaType(t, mediaType));
}

function sameMediaType(pattern: string, mediaType: string): boolean {
  return (pattern.split(';')[0]?.trim().toLowerCase() ?? '') === mediaType;
}
