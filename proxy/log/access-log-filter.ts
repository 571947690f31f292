/**
 * Traefik's access log filters: a line is kept when no filter is set, or when any set filter
 * matches (status in a listed code or range, retried, or slower than minDuration).
 */
import type { AccessLogConfig } from '../config/static-schema.js';

export function accessLogFilter(
  filters: AccessLogConfig['filters'],
): (status: number, retryAttempts: number, durationMs: number) => boolean {
  if (!filters) return () => true;
  const ranges = (filters.statusCodes ?? []).map((code) => {
    const [from, to = from] = code.split('-').map((part) => Number(part.trim()));
    return [from ?? 0, to ?? 0] as const;
  });
  const anyFilter = ranges.length > 0 || filters.retryAttempts || filters.minDuration !== undefined;
  if (!anyFilter) return () => true;
  return (status, retryAttempts, durationMs) =>
    ranges.some(([from, to]) => status >= from && status <= to) ||
    (filters.retryAttempts && retryAttempts > 0) ||
    (filters.minDuration !== undefined && durationMs > filters.minDuration);
}
