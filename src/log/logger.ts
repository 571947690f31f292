import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever they appear. Tokens reach logs through request headers, Octokit
 * options and config objects, so both top-level and nested spellings are listed.
 */
export const redactedPaths = [
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'privateKey',
  '*.privateKey',
  'webhookSecret',
  '*.webhookSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** Token shapes that may hide inside free text, such as a git error message or a URL. */
const inlineSecretPatterns: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bv1\.[0-9a-f]{40}\b/g,
  /(x-access-token|oauth2|token):[^@\s]+@/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(Bearer|token)\s+[A-Za-z0-9._-]{16,}/g,
];

/** Removes secrets from a free-text string; used for messages that end up in logs or comments. */
export function redactText(text: string): string {
  let out = text;
  for (const pattern of inlineSecretPatterns) {
    out = out.replace(pattern, (match) => {
      const credentialInUrl = /^(x-access-token|oauth2|token):/i.exec(match);
      if (credentialInUrl) return `${credentialInUrl[1]}:[REDACTED]@`;
      const scheme = /^(Bearer|token)\s+/.exec(match);
      return scheme ? `${scheme[1]} [REDACTED]` : '[REDACTED]';
    });
  }
  return out;
}

export interface LoggerSettings {
  level?: string;
  /** `json` (default when not a TTY) or `pretty` (default on a TTY). */
  format?: 'json' | 'pretty';
  /** A file to append to instead of stdout. */
  filePath?: string;
  name?: string;
  /** Where JSON lines go instead of stdout or `filePath`; lets callers capture logs. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const toTty = !settings.filePath && !settings.destination && process.stdout.isTTY === true;
  const format = settings.format ?? (toTty ? 'pretty' : 'json');
  const options: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: redactedPaths, censor: '[REDACTED]' },
    hooks: {
      // Messages are free text; scrub token shapes that slipped into them.
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    ...(settings.name ? { name: settings.name } : {}),
  };
  if (format === 'pretty') {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { destination: settings.filePath ?? 1, colorize: toTty, translateTime: 'SYS:HH:MM:ss.l' },
      },
    });
  }
  const destination = settings.destination
    ? settings.destination
    : settings.filePath
      ? pino.destination({ dest: settings.filePath, mkdir: true, sync: false })
      : pino.destination(1);
  return pino(options, destination);
}
