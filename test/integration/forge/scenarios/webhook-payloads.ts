import { describe, expect, it } from 'vitest';
import type { ForgeHarness } from '../../../support/forge-harness.js';
import { createWebhookValidator } from '../../../support/forge-webhook-schemas.js';

/** Runs last on a shared forge: every payload it delivered must match GitHub's webhook schemas. */
export function webhookPayloadTests(h: () => ForgeHarness, expectedEvents: string[]): void {
  describe('webhook payloads', () => {
    it("match GitHub's webhook schemas for every delivery of this forge", async () => {
      const { forge, hooks } = h();
      await forge.idle();
      const validate = createWebhookValidator();
      const events = new Set(hooks.deliveries.map((d) => `${d.event}.${d.payload.action ?? ''}`));
      expect([...events]).toEqual(expect.arrayContaining(expectedEvents));
      for (const delivery of hooks.deliveries) validate(delivery.event, delivery.payload);
    });
  });
}
