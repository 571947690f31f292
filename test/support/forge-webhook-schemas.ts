/** Validates webhook payloads against GitHub's published webhook schemas (@octokit/webhooks-schemas). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);

type WebhookValidator = (event: string, payload: Record<string, unknown>) => void;
let shared: WebhookValidator | undefined;

/** One validator per process: compiling GitHub's webhook schemas takes seconds. */
export function createWebhookValidator(): WebhookValidator {
  shared ??= compileWebhookValidator();
  return shared;
}

function compileWebhookValidator(): WebhookValidator {
  const schema = JSON.parse(
    readFileSync(require.resolve('@octokit/webhooks-schemas/schema.json'), 'utf8'),
  ) as {
    definitions: Record<string, unknown>;
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  ajv.addSchema({ ...schema, $id: 'webhooks' });
  return (event, payload) => {
    const action = typeof payload.action === 'string' ? payload.action : 'event';
    const name = `${event}$${action}`;
    if (!schema.definitions[name]) throw new Error(`no webhook schema for ${name}`);
    const validate = ajv.getSchema(`webhooks#/definitions/${name}`);
    if (!validate) throw new Error(`cannot compile webhook schema ${name}`);
    if (!validate(payload)) {
      const problems = (validate.errors ?? [])
        .slice(0, 15)
        .map((e) => `  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
        .join('\n');
      throw new Error(`${name} payload does not match GitHub's webhook schema:\n${problems}`);
    }
  };
}
