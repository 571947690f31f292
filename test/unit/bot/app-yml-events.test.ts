/**
 * app.yml must subscribe to every event the code handles, and to nothing it does not. The
 * handled events are read from the code itself (every comparison of an event name with a
 * webhook event's name), so a new handler without its subscription fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { readAppYml } from '../../../bot/registration/app-manifest.js';

const require = createRequire(import.meta.url);
const webhookEvents = new Set(
  (require('@octokit/webhooks-examples') as { name: string }[]).map((e) => e.name),
);
/** Delivered to every app whatever it subscribes to; GitHub refuses them in a manifest. */
const alwaysDelivered = new Set(['installation', 'installation_repositories']);

const botDir = resolve(import.meta.dirname, '../../../bot');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

function handledEvents(): Set<string> {
  const found = new Set<string>();
  const comparison = /\bname\s*===\s*'([a-z_]+)'|\bcase\s+'([a-z_]+)'\s*:|\bevent:\s*'([a-z_]+)'/g;
  for (const file of sources(botDir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(comparison)) {
      const name = match[1] ?? match[2] ?? match[3] ?? '';
      if (webhookEvents.has(name) && !alwaysDelivered.has(name)) found.add(name);
    }
  }
  return found;
}

it('subscribes in app.yml to exactly the events the handlers read', () => {
  const handled = [...handledEvents()].sort();
  const subscribed = [...readAppYml().default_events].sort();
  expect(handled).toContain('branch_protection_rule');
  expect(subscribed).toEqual(handled);
});
