// The image's HEALTHCHECK: exits 0 when HEALTHCHECK_URL (default: the bot's /healthz on PORT)
// answers 2xx within four seconds, 1 otherwise. Plain JS so it needs no compiler at run time.
const url = process.env.HEALTHCHECK_URL || `http://127.0.0.1:${process.env.PORT || 3000}/healthz`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
