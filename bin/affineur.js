#!/usr/bin/env node
// The `affineur` executable. It runs the TypeScript sources directly through tsx, so the CLI
// works straight after `npm ci` with no build step; `npm run build` still emits plain JS to dist/.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
