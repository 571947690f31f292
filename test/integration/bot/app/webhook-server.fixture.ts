/**
 * The bot's webhook server alone in its own process, so a test can read its memory (peak RSS
 * from /proc) and its whole log (stdout, JSON lines) without the test's own noise.
 * Run as: node --import tsx webhook-server.fixture.ts (env: WEBHOOK_SECRET, PRIVATE_KEY).
 * Prints `{"port":N}` once listening.
 */
import { startBotServer } from '../../../../bot/bot-server.js';
import { createInProcessQueue } from '../../../../bot/queue/in-process-queue.js';
import { createLogger } from '../../../../src/log/logger.js';

const log = createLogger({ level: 'info', format: 'json', destination: process.stdout, name: 'bot' });
const queue = createInProcessQueue({ log });
const bot = await startBotServer(
  {
    appId: 1,
    privateKey: process.env.PRIVATE_KEY!,
    webhookSecret: process.env.WEBHOOK_SECRET!,
    baseUrl: undefined,
    host: '127.0.0.1',
    port: 0,
    webhookPath: '/api/github/webhooks',
    globalDryRun: false,
  },
  queue,
  log,
  { processEvents: false },
);
process.stdout.write(`${JSON.stringify({ port: bot.port })}\n`);
process.on('SIGTERM', () => {
  void bot.close().then(() => process.exit(0));
});
