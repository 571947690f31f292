import { z } from 'zod';
import { repoConfigSchema } from './repo-config-schema.js';

export const jsonSchemaPath = 'schema/affineur.schema.json';

/** The JSON Schema of `.github/affineur.yml` for editors, as committed in `schema/`. */
export function repoConfigJsonSchema(): string {
  // `io: 'input'` describes what a user writes (durations as strings), not what the bot reads.
  return `${JSON.stringify(z.toJSONSchema(repoConfigSchema, { io: 'input' }), null, 2)}\n`;
}
