/**
 * `/ping`: 200 `OK` for GET and HEAD while running, `terminatingStatusCode` (503 by default)
 * once shutdown has begun, so a load balancer in front stops sending traffic before we go.
 */
import type { Handler } from '../middleware/handler.js';

export function pingHandler(isTerminating: () => boolean, terminatingStatusCode: number): Handler {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-length': 0 });
      res.end();
      return;
    }
    const status = isTerminating() ? terminatingStatusCode : 200;
    const body = status === 200 ? 'OK' : 'Service Unavailable';
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
