/**
 * The webhook side of the app, over real HTTP: Probot verifies the signature, the handler only
 * enqueues (keyed by delivery id), and /healthz reports. No GitHub call is made here: the
 * app runs web-only (`processEvents: false`), as a web process in front of workers would.
 */
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBotServer } from '../../../../bot/bot-server.js';
import { createInProcessQueue } from '../../../../bot/queue/in-process-queue.js';
import { silentLog } from '../queue/queue-test-kit.js';
import { webhookExample } from './webhook-examples.js';

const secret = `secret-${randomUUID()}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const queue = createInProcessQueue({ log: silentLog });
let bot: RunningBot;
let base: string;

beforeAll(async () => {
  bot = await startBotServer(
    {
      appId: 1,
      privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      webhookSecret: secret,
      baseUrl: undefined,
      host: '127.0.0.1',
      port: 0,
      webhookPath: '/api/github/webhooks',
      globalDryRun: false,
    },
    queue,
    silentLog,
    { processEvents: false },
  );
  base = new URL(bot.webhookUrl).origin;
});

afterAll(async () => {
  await bot.close();
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

  it('listens on the free port it was given (port 0) and answers 404 elsewhere', async () => {
    expect(bot.port).toBeGreaterThan(0);
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });
});
