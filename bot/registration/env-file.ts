/**
 * The `.env` file `affineur bot` reads at start and the registration flow writes the new app's
 * credentials to. Written keys replace existing lines; other lines and comments stay.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { AffineurError } from '../../src/errors/affineur-error.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables of `<dir>/.env` under the process's own (which win), or the env unchanged. */
export function withDotEnv(env: Env, dir: string): Env {
  const path = `${dir}/.env`;
  if (!existsSync(path)) return env;
  return { ...parseEnv(readFileSync(path, 'utf8')), ...env };
}

/** Sets `values` in `<dir>/.env` (mode 0600: it holds a private key); returns the file's path. */
export function writeDotEnv(dir: string, values: Record<string, string>): string {
  const path = `${dir}/.env`;
  const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n') : [];
  const kept = lines.filter((line) => {
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    return !(key && key in values);
  });
  while (kept.at(-1) === '') kept.pop();
  for (const [key, value] of Object.entries(values)) kept.push(`${key}=${quote(value)}`);
  writeFileSync(path, `${kept.join('\n')}\n`, { mode: 0o600 });
  // `mode` only applies to a new file; an existing .env may have been world-readable.
  chmodSync(path, 0o600);
  return path;
}

/**
 * Double-quoted with `\n` for newlines: one line per key, which dotenv and Node's parser both
 * read back (a PEM key holds newlines). Neither parser has an escape for `"` in double quotes,
 * so such a value is single-quoted (read literally) instead.
 */
function quote(value: string): string {
  if (!value.includes('"')) return `"${value.replaceAll('\n', '\\n')}"`;
  if (!value.includes("'") && !value.includes('\n')) return `'${value}'`;
  throw new AffineurError(
    'AFF_ERR_BOT_APP_SETTINGS',
    'a credential cannot be written to .env: it holds both quote kinds or a quote and a newline.',
    {
      hint: 'Set it as an environment variable instead.',
    },
  );
}
