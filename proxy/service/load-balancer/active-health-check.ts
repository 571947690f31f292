/**
 * Active health checks: each server is probed on its own timer, every `interval` while healthy
 * and every `unhealthyInterval` while not. A server is healthy when the probe answers 2xx or
 * 3xx (or exactly `status`, when set) within `timeout`.
 */
import { type Dispatcher, request } from 'undici';
import type { ServerHealthCheckConfig } from '../../config/dynamic-schema.js';

export interface ProbeTarget {
  url: URL;
  setHealthy(healthy: boolean): void;
}

export function probeUrl(server: URL, config: ServerHealthCheckConfig): URL {
  const url = new URL(server.href);
  if (config.scheme) url.protocol = `${config.scheme}:`;
  if (config.port !== undefined) url.port = String(config.port);
  const [path = '/', query] = config.path.split('?');
  url.pathname = path;
  url.search = query === undefined ? '' : `?${query}`;
  return url;
}

export async function probeOnce(
  url: URL,
  config: ServerHealthCheckConfig,
  dispatcher: Dispatcher,
): Promise<boolean> {
  let current = url;
  for (let hops = 0; hops <= 10; hops++) {
    try {
      const response = await request(current, {
        dispatcher,
        method: config.method as Dispatcher.HttpMethod,
        headers: { ...config.headers, ...(config.hostname ? { host: config.hostname } : {}) },
        signal: AbortSignal.timeout(config.timeout),
      });
      await response.body.dump();
      const location = response.headers.location;
      if (config.followRedirects && response.statusCode >= 300 && response.statusCode < 400 && location) {
        current = new URL(String(location), current);
        continue;
      }
      if (config.status !== undefined) return response.statusCode === config.status;
      return response.statusCode >= 200 && response.statusCode < 400;
    } catch {
      return false;
    }
  }
  return false;
}

/** Starts probing every target; returns a function that stops it all. */
export function startActiveHealthChecks(
  targets: readonly ProbeTarget[],
  config: ServerHealthCheckConfig,
  dispatcher: Dispatcher,
): () => void {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  for (const target of targets) {
    const url = probeUrl(target.url, config);
    const run = async () => {
      const healthy = await probeOnce(url, config, dispatcher);
      if (stopped) return;
      target.setHealthy(healthy);
      const delay = healthy ? config.interval : (config.unhealthyInterval ?? config.interval);
      const timer = setTimeout(() => {
        timers.delete(timer);
        void run();
      }, delay);
      timer.unref();
      timers.add(timer);
    };
    void run();
  }
  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
  };
}
