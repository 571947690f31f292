/** Writes schema/affineur.schema.json from the zod schema. Run with `npm run schema`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonSchemaPath, repoConfigJsonSchema } from './json-schema.js';

const target = fileURLToPath(new URL(`../../${jsonSchemaPath}`, import.meta.url));
writeFileSync(target, repoConfigJsonSchema());
process.stdout.write(`wrote ${jsonSchemaPath}\n`);
