/**
 * The weighted service: splits traffic between child services by weight (canary releases,
 * blue/green), with its own sticky cookie. With `healthCheck: {}` it skips children that
 * report down, and reports down itself when all of them are.
 */
import type { WeightedConfig } from '../config/dynamic-schema.js';
import { sendError } from '../forward/forward-to-server.js';
import { pickSmoothWeighted } from './load-balancer/smooth-weighted-round-robin.js';
import { readCookie, setCookieHeader, stickyCookieName, stickyValue } from './load-balancer/sticky-cookie.js';
import { HealthStatus, type Service } from './service.js';

interface WeightedChild {
  service: Service;
  weight: number;
  current: number;
  stickyValue: string;
}

export function createWeightedService(
  name: string,
  config: WeightedConfig,
  children: readonly Service[],
): Service {
  const entries: WeightedChild[] = children.map((service, i) => ({
    service,
    weight: config.services[i]?.weight ?? 1,
    current: 0,
    stickyValue: stickyValue(service.name),
  }));
  const followHealth = config.healthCheck !== undefined;
  const available = (child: WeightedChild) => !followHealth || child.service.healthy();
  const status = new HealthStatus(true);
  const refresh = () => status.set(entries.some((c) => c.weight > 0 && available(c)));
  if (followHealth) {
    for (const child of entries) child.service.onHealthChange(refresh);
    refresh();
  }
  const cookie = config.sticky?.cookie;
  const cookieName = cookie ? stickyCookieName(cookie, name) : '';

  return {
    name,
    handle(req, res, ctx) {
      let chosen: WeightedChild | undefined;
      if (cookie) {
        const wanted = readCookie(req, cookieName);
        chosen = entries.find((c) => c.stickyValue === wanted && c.weight > 0 && available(c));
        if (!chosen) {
          chosen = pickSmoothWeighted(entries, available);
          if (chosen) res.appendHeader('set-cookie', setCookieHeader(cookie, cookieName, chosen.stickyValue));
        }
      } else {
        chosen = pickSmoothWeighted(entries, available);
      }
      if (!chosen) {
        sendError(res, 503);
        return;
      }
      chosen.service.handle(req, res, ctx);
    },
    healthy: () => status.healthy,
    onHealthChange: (listener) => status.listen(listener),
    mirror(req, ctx, body) {
      pickSmoothWeighted(entries, available)?.service.mirror(req, ctx, body);
    },
    close() {},
  };
}
