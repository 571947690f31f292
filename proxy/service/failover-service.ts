/**
 * The failover service: everything goes to `service` while it is healthy, and to `fallback`
 * while it is not. Health comes from the main service's checks (active or passive).
 */
import { sendError } from '../forward/forward-to-server.js';
import { HealthStatus, type Service } from './service.js';

export function createFailoverService(name: string, main: Service, fallback: Service): Service {
  const status = new HealthStatus(main.healthy() || fallback.healthy());
  const refresh = () => status.set(main.healthy() || fallback.healthy());
  main.onHealthChange(refresh);
  fallback.onHealthChange(refresh);
  const current = () => (main.healthy() ? main : fallback.healthy() ? fallback : undefined);
  return {
    name,
    handle(req, res, ctx) {
      const service = current();
      if (!service) {
        sendError(res, 503);
        return;
      }
      service.handle(req, res, ctx);
    },
    healthy: () => status.healthy,
    onHealthChange: (listener) => status.listen(listener),
    mirror(req, ctx, body) {
      current()?.mirror(req, ctx, body);
    },
    close() {},
  };
}
