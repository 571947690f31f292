/**
 * The waits between attempts, shaped as Traefik's retry middleware shapes them (an exponential
 * backoff whose multiplier is chosen so that the last interval is twice `initialInterval`, with
 * ±50% jitter so that clients retrying together spread out). No interval means no wait.
 */
export function retryDelays(
  attempts: number,
  initialIntervalMs: number,
): (retry: number, random?: number) => number {
  if (attempts < 2 || initialIntervalMs <= 0) return () => 0;
  const multiplier = 2 ** (1 / (attempts - 1));
  return (retry, random = Math.random()) => {
    const base = initialIntervalMs * multiplier ** (retry - 1);
    // Uniform in [base/2, base*3/2].
    return base * (0.5 + random);
  };
}

const idempotent = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Whether a request may be sent again: an idempotent method, and a body that is either absent
 * or held in memory. A body streamed from the client is gone once sent.
 */
export function isReplayable(request: {
  method: string | undefined;
  headers: { 'content-length'?: string | undefined; 'transfer-encoding'?: string | undefined };
  bufferedBody: boolean;
  upgrade: boolean;
}): boolean {
  if (request.upgrade || !idempotent.has(request.method ?? 'GET')) return false;
  const length = request.headers['content-length'];
  const streamed =
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
  return !streamed || request.bufferedBody;
}
