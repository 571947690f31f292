import { z } from 'zod';

const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const goDuration = /^([+-])?((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const goDurationPart = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Parses a duration the way Traefik does: a Go duration string (`100ms`, `1m30s`) or a plain
 * number of seconds (`10`, `"2.5"`). Returns milliseconds, or undefined when it is neither.
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return Number(text) * 1000;
  if (text === '0') return 0;
  if (!goDuration.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(goDurationPart)) {
    total += Number(amount) * (unitMs[unit as string] ?? Number.NaN);
  }
  return text.startsWith('-') ? -total : total;
}

/** Formats milliseconds back as a Go-style duration, for messages and the API. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A config field holding a duration; the parsed value is in milliseconds. */
export const durationSchema = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as "100ms", "2s", "1m30s" or a number of seconds, got ${JSON.stringify(value)}`,
        params: { affineur: 'AFF_ERR_CONFIG_DURATION' },
      });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'A Go-style duration ("100ms", "2s", "1m30s") or a number of seconds.' });
