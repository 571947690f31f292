/**
 * Traefik's HTTP provider (`providers.http`): polls an endpoint every `pollInterval` for a whole
 * dynamic configuration, in JSON (Traefik's format) or YAML. Only a 200 with a configuration
 * object counts; an error status, a timeout, a body that does not parse or is not an object is
 * an outage: the last good configuration stays in service (see backend-session.ts).
 */
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { type ConfigFormat, parseConfigText } from '../../src/config/config-file.js';
import { isPlainObject } from '../../src/config/normalize.js';
import type { Logger } from '../../src/log/logger.js';
import { startBackendSession } from './backend-session.js';
import type { ConfigDocument, ConfigMessage, Provider } from './provider.js';
import type { ProviderTlsConnectOptions } from './provider-tls-options.js';

export interface HttpProviderOptions {
  endpoint: string;
  pollIntervalMs: number;
  /** How long one poll may take, answer included. */
  pollTimeoutMs: number;
  headers?: Record<string, string> | undefined;
  tls?: ProviderTlsConnectOptions | undefined;
  /** An answer larger than this is refused rather than read into memory; -1 or unset: no limit. */
  maxBodyBytes?: number | undefined;
}

export class HttpProvider implements Provider {
  readonly name = 'http';
  readonly #options: HttpProviderOptions;
  /** The endpoint as logs show it: no credentials, no query (it may carry a token). */
  readonly #shown: string;

  constructor(options: HttpProviderOptions) {
    this.#options = options;
    this.#shown = displayEndpoint(options.endpoint);
  }

  async start(emit: (message: ConfigMessage) => void, signal: AbortSignal, logger: Logger): Promise<void> {
    const { pollIntervalMs, tls } = this.#options;
    const agent = new Agent({
      ...(tls ? { connect: { ...tls } } : {}),
      // One poll at a time: a kept-alive connection is all it needs.
      connections: 1,
    });
    // Redirects are followed as Go's client (Traefik's) does, up to 10; credentials such as an
    // Authorization header are not carried to another origin.
    const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 10 }));
    signal.addEventListener('abort', () => void agent.close().catch(() => {}), { once: true });
    const session = startBackendSession({
      backend: this.#shown,
      logger,
      signal,
      everyMs: pollIntervalMs,
      // A lost endpoint is asked again after one interval, then less and less often (up to 4
      // intervals, at most a minute) until it answers.
      backoff: {
        initialMs: pollIntervalMs,
        maxMs: Math.max(pollIntervalMs, Math.min(4 * pollIntervalMs, 60_000)),
      },
      attempt: async ({ signal: stop, synced }) => {
        const document = await this.poll(dispatcher, stop);
        emit({ provider: this.name, documents: [document] });
        synced();
      },
    });
    await session.firstAttempt;
  }

  /** One poll: the endpoint's configuration, or an error saying what was wrong with the answer. */
  async poll(dispatcher: Dispatcher, stop: AbortSignal): Promise<ConfigDocument> {
    const { endpoint, pollTimeoutMs, headers } = this.#options;
    const timeout = AbortSignal.timeout(pollTimeoutMs);
    try {
      const response = await request(endpoint, {
        method: 'GET',
        dispatcher,
        signal: AbortSignal.any([stop, timeout]),
        headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1', ...headers },
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new Error(`it answered HTTP ${response.statusCode} (expected 200)`);
      }
      const limit = this.#options.maxBodyBytes ?? -1;
      const text = await readLimited(response.body, limit < 0 ? Number.POSITIVE_INFINITY : limit);
      const contentType = String(response.headers['content-type'] ?? '');
      const parsed = parseConfigText(text, this.#shown, formatOf(contentType, text));
      if (!isPlainObject(parsed.value)) {
        throw new Error('it answered something that is not a configuration object (expected {"http": ...})');
      }
      return { file: this.#shown, value: parsed.value, locate: parsed.locate };
    } catch (error) {
      if (timeout.aborted && !stop.aborted)
        throw new Error(`no answer within pollTimeout (${pollTimeoutMs} ms)`);
      throw error;
    }
  }
}

/** Traefik's endpoints answer JSON; YAML is taken too, by its content type or its look. */
function formatOf(contentType: string, text: string): ConfigFormat {
  if (/json/i.test(contentType)) return 'json';
  if (/ya?ml/i.test(contentType)) return 'yaml';
  return /^\s*[[{]/.test(text) ? 'json' : 'yaml';
}

async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new Error(`its answer is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function displayEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
  } catch {
    return '(an invalid URL)';
  }
}
