/**
 * The webhook side of the app, over real HTTP: Probot verifies the signature, the handler only
 * enqueues (keyed by delivery id), and /healthz reports. No GitHub call is made here: the
 * app runs web-only (`processEvents: false`), as a web process in front of workers would.
 */
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Probot, Server } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { affineurApp, BotOctokit } from '../../../../bot/app.js';
import { createInProcessQueue } from '../../../../bot/queue/in-process-queue.js';
import { freePort } from '../../../support/services.js';
import { silentLog } from '../queue/queue-test-kit.js';
import { webhookExample } from './webhook-examples.js';

const secret = `secret-${randomUUID()}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const queue = createInProcessQueue({ log: silentLog });
let server: Server;
let base: string;

beforeAll(async () => {
  // Probot's Server treats port 0 as "unset" and falls back to 3000, so pick a free port first.
  const port = await freePort();
  server = new Server({
    port,
    host: '127.0.0.1',
    log: silentLog,
    Probot: Probot.defaults({
      appId: 1,
      privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      secret,
      log: silentLog,
      Octokit: BotOctokit,
    }),
  });
  await server.load(affineurApp({ queue, log: silentLog, globalDryRun: false, processEvents: false }));
  const http = await server.start();
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await server.stop();
  await queue.close();
});

function deliver(name: string, payload: unknown, deliveryId: string, signWith = secret) {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', signWith).update(body).digest('hex')}`;
  return fetch(`${base}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': name,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': signature,
    },
    body,
  });
}

describe('webhook intake', () => {
  it('enqueues a signed delivery once, however often it is delivered', async () => {
    const before = (await queue.health()).pending;
    const id = randomUUID();
    const payload = webhookExample('issues', 'opened');
    expect((await deliver('issues', payload, id)).status).toBe(200);
    expect((await deliver('issues', payload, id)).status).toBe(200);
    expect((await queue.health()).pending).toBe(before + 1);
  });

  it('refuses a delivery with a bad signature and enqueues nothing', async () => {
    const before = (await queue.health()).pending;
    const response = await deliver(
      'issues',
      webhookExample('issues', 'opened'),
      randomUUID(),
      'not-the-secret',
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await queue.health()).pending).toBe(before);
  });

  it('reports app and queue health on /healthz', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      app: 'ok',
      queue: { ok: true, kind: 'in-process' },
    });
  });
});
