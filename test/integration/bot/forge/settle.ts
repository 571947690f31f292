/**
 * Waits until the forge and the bot have nothing left to do: every webhook delivered and every
 * queued event handled. The bot's own changes send new webhooks (a label added fires
 * `issues.labeled`), so it loops until one pass finds both sides quiet.
 */
import type { EventQueue } from '../../../../bot/queue/event-queue.js';
import type { RunningForge } from '../../../../src/forge/start-forge.js';

export async function settle(forge: RunningForge, queue: EventQueue, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await forge.idle();
    let polls = 0;
    for (let health = await queue.health(); health.pending > 0; health = await queue.health()) {
      if (Date.now() > deadline) throw new Error(`the bot still has ${health.pending} event(s) pending`);
      polls++;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // Nothing was pending on the first look: no event ran, so nothing new can have been sent.
    if (polls === 0) {
      await forge.idle();
      if ((await queue.health()).pending === 0) return;
    }
  }
}
