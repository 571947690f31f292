/**
 * `providers.docker`: reads containers from the Docker Engine API and follows its event stream.
 * Like Traefik, every relevant event (start, die, health status, pause, unpause, destroy,
 * rename) triggers a full re-list, never a patch: events that arrive while a re-list runs are
 * folded into one more re-list. When the Engine is unreachable, the last configuration stays in
 * service, the outage is logged once, and the provider reconnects with backoff and re-lists.
 * The Engine calls live here; turning containers into configuration is build-docker-config.ts.
 */
import { Agent } from 'node:https';
import type Docker from 'dockerode';
import type { Logger } from '../../../src/log/logger.js';
import { RetryBackoff, sleep } from '../backend-backoff.js';
import { compileConstraints } from '../constraints/compile-constraints.js';
import { OutageLog } from '../outage-log.js';
import type { ConfigMessage, Provider } from '../provider.js';
import { loadProviderTls } from '../provider-tls-options.js';
import { buildDockerConfig, type DockerBuildOptions } from './build-docker-config.js';
import { type ContainerInfo, containerFromInspect } from './container-info.js';
import { makeDefaultRule } from './default-rule.js';
import type { DockerProviderOptions } from './docker-options-schema.js';

const relevantActions = /^(start|die|stop|kill|pause|unpause|destroy|rename|update|health_status)/;

export class DockerProvider implements Provider {
  readonly name = 'docker';
  readonly #options: DockerProviderOptions;
  readonly #build: DockerBuildOptions;
  #client!: Docker;
  /** Without a timeout: the event stream stays open for as long as the proxy runs. */
  #eventsClient!: Docker;
  readonly #clientOptions: Docker.DockerOptions;
  readonly #eventsClientOptions: Docker.DockerOptions;

  /** Throws on bad install options (constraints, defaultRule, TLS files) so the start stops. */
  constructor(options: DockerProviderOptions) {
    this.#options = options;
    this.#build = {
      exposedByDefault: options.exposedByDefault,
      constraints: compileConstraints(options.constraints, 'providers.docker.constraints'),
      network: options.network,
      useBindPortIP: options.useBindPortIP,
      allowEmptyServices: options.allowEmptyServices,
      defaultRule: makeDefaultRule(options.defaultRule),
    };
    this.#clientOptions = clientOptions(options, options.httpClientTimeout);
    this.#eventsClientOptions = clientOptions(options, 0);
  }

  async start(emit: (message: ConfigMessage) => void, signal: AbortSignal, logger: Logger): Promise<void> {
    // Loaded here, not at import, so that a proxy without the Docker provider never pays for it.
    const { default: DockerClient } = await import('dockerode');
    this.#client = new DockerClient(this.#clientOptions);
    this.#eventsClient = new DockerClient(this.#eventsClientOptions);
    const outage = new OutageLog(logger, `the Docker Engine at ${this.#options.endpoint}`);
    const backoff = new RetryBackoff();
    const publish = (containers: ContainerInfo[]) => {
      const { config, errors } = buildDockerConfig(containers, this.#build);
      for (const error of errors) logger.error({ err: error }, error.message);
      emit({ provider: this.name, documents: [{ value: config }] });
    };

    let first = true;
    let firstDone!: () => void;
    const firstAttempt = new Promise<void>((resolve) => {
      firstDone = resolve;
    });
    const session = async () => {
      // One connection: list, publish, then follow events until the stream breaks.
      const events = this.#options.watch ? await this.#openEvents(signal) : undefined;
      publish(await this.#list());
      outage.recovered();
      backoff.reset();
      if (first) {
        first = false;
        firstDone();
      }
      if (!events) return;
      await this.#follow(events, signal, async () => publish(await this.#list()));
    };

    void (async () => {
      while (!signal.aborted) {
        try {
          await session();
          if (!this.#options.watch) return;
          if (!signal.aborted) throw new Error('the event stream ended');
        } catch (error) {
          if (signal.aborted) break;
          outage.failed(error);
          if (first) {
            first = false;
            firstDone();
          }
          await sleep(backoff.nextDelayMs(), signal);
        }
      }
    })();
    await firstAttempt;
  }

  async #openEvents(signal: AbortSignal): Promise<NodeJS.ReadableStream> {
    const stream = (await this.#eventsClient.getEvents({
      filters: { type: ['container'] },
      abortSignal: signal,
    } as Docker.GetEventsOptions)) as NodeJS.ReadableStream & { destroy?: () => void };
    signal.addEventListener('abort', () => stream.destroy?.(), { once: true });
    return stream;
  }

  /** Calls `relist` after each relevant event, one at a time; resolves when the stream ends. */
  #follow(stream: NodeJS.ReadableStream, signal: AbortSignal, relist: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      let running = false;
      let again = false;
      let failed = false;
      const run = () => {
        if (running) {
          again = true;
          return;
        }
        running = true;
        relist()
          .catch((error: unknown) => {
            failed = true;
            (stream as { destroy?: () => void }).destroy?.();
            reject(error);
          })
          .finally(() => {
            running = false;
            if (again && !failed && !signal.aborted) {
              again = false;
              run();
            }
          });
      };
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let newline = buffered.indexOf('\n');
        while (newline !== -1) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
          if (line === '') continue;
          try {
            const event = JSON.parse(line) as { Action?: string; status?: string };
            if (relevantActions.test(event.Action ?? event.status ?? '')) run();
          } catch {
            // A line that is not JSON is not an event; the next re-list sees the truth anyway.
          }
        }
      });
      stream.on('error', (error) => reject(error));
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
    });
  }

  /** Every container, inspected (labels, state, health, networks); vanished ones are skipped. */
  async #list(): Promise<ContainerInfo[]> {
    const summaries = await this.#client.listContainers({ all: true });
    const inspected = await Promise.all(
      summaries.map(async (summary) => {
        try {
          return containerFromInspect(await this.#client.getContainer(summary.Id).inspect());
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) return undefined;
          throw error;
        }
      }),
    );
    const containers = inspected.filter((c): c is ContainerInfo => c !== undefined);
    const byId = new Map(containers.map((c) => [c.id, c]));
    for (const container of containers) {
      if (!container.networkMode.startsWith('container:')) continue;
      // A container that shares another's network is reached at that one's address.
      const other = container.networkMode.slice('container:'.length);
      const owner = byId.get(other) ?? containers.find((c) => c.name === other);
      const address = owner ? Object.values(owner.networks).find((a) => a !== '') : undefined;
      if (address) container.sharedNetworkAddress = address;
      else if (owner?.networkMode === 'host') container.sharedNetworkAddress = '127.0.0.1';
    }
    return containers;
  }
}

function clientOptions(options: DockerProviderOptions, timeoutMs: number): Docker.DockerOptions {
  const headers: Record<string, string> = {};
  if (options.username !== undefined && options.password !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  }
  const common = { ...(timeoutMs > 0 ? { timeout: timeoutMs } : {}), headers } as Docker.DockerOptions;
  const endpoint = options.endpoint;
  if (endpoint.startsWith('unix://')) return { ...common, socketPath: endpoint.slice('unix://'.length) };
  const url = new URL(endpoint.replace(/^tcp:/, options.tls ? 'https:' : 'http:'));
  const tls = options.tls ? loadProviderTls(options.tls, 'providers.docker.tls') : undefined;
  return {
    ...common,
    host: url.hostname,
    port: url.port || (tls ? '2376' : '2375'),
    protocol: tls ? 'https' : 'http',
    // An agent carries every TLS option, insecureSkipVerify included, to each request.
    ...(tls ? { agent: new Agent({ ...tls, keepAlive: true }) } : {}),
  } as Docker.DockerOptions;
}
