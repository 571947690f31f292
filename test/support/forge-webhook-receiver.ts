/** A real HTTP server that records webhook deliveries, for tests that wait on forge events. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  event: string;
  id: string;
  signature: string;
  body: string;
  payload: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  /** Resolves with the first delivery (past or future) that matches. */
  waitFor(match: (d: Delivery) => boolean, timeoutMs?: number): Promise<Delivery>;
  /** Answer the next `n` deliveries with HTTP 500 (to exercise retries). */
  failNext(n: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const waiters: { match: (d: Delivery) => boolean; resolve: (d: Delivery) => void }[] = [];
  let failures = 0;
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const server = createServer(async (req, res) => {
    const body = await read(req);
    if (failures > 0) {
      failures -= 1;
      res.writeHead(500).end('try again');
      return;
    }
    const delivery: Delivery = {
      event: String(req.headers['x-github-event']),
      id: String(req.headers['x-github-delivery']),
      signature: String(req.headers['x-hub-signature-256']),
      body,
      payload: JSON.parse(body) as Record<string, unknown>,
    };
    deliveries.push(delivery);
    for (const waiter of [...waiters]) {
      if (waiter.match(delivery)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(delivery);
      }
    }
    res.writeHead(202).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    deliveries,
    waitFor(match, timeoutMs = 20_000) {
      const found = deliveries.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching webhook delivery arrived')), timeoutMs);
        waiters.push({
          match,
          resolve: (d) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      });
    },
    failNext(n) {
      failures = n;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
