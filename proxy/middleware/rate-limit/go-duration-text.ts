/**
 * A duration written the way Go's `time.Duration.String()` writes it ("1.5s", "250ms",
 * "1m0.5s"): Traefik sends its `X-Retry-In` header in this form, and clients parse it.
 */
export function goDurationText(ms: number): string {
  const ns = Math.max(0, Math.round(ms * 1e6));
  if (ns === 0) return '0s';
  if (ns < 1000) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  const hours = Math.floor(ns / 3.6e12);
  const minutes = Math.floor((ns % 3.6e12) / 6e10);
  const seconds = (ns % 6e10) / 1e9;
  return `${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${trim(seconds)}s`;
}

function trim(value: number): string {
  return value.toFixed(9).replace(/\.?0+$/, '');
}
