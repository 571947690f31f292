/** Real webhook payloads from @octokit/webhooks-examples, looked up by event and action. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as {
  name: string;
  examples: Record<string, unknown>[];
}[];

export function webhookExample(
  name: string,
  action?: string,
  where: (example: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown> {
  const found = examples
    .find((e) => e.name === name)
    ?.examples.find((example) => (action === undefined || example.action === action) && where(example));
  if (!found) throw new Error(`no webhook example for ${name}.${action ?? '*'}`);
  return structuredClone(found);
}
