/**
 * Step 1 of the assembly: the providers the install configuration asks for. Each provider kind
 * is one entry here; mistakes in a provider's install options stop the start before any port
 * is bound, with the key path in the error.
 */
import type { Logger } from '../../src/log/logger.js';
import type { StaticConfig } from '../config/static-schema.js';
import type { LoadedPlugins } from '../plugin/local-plugins.js';
import { pluginProvidersFromConfig } from '../plugin/plugin-providers-from-config.js';
import { DockerProvider } from '../provider/docker/docker-provider.js';
import { FileProvider } from '../provider/file-provider.js';
import { HttpProvider } from '../provider/http-provider.js';
import { EtcdProvider } from '../provider/kv/etcd-provider.js';
import { RedisProvider } from '../provider/kv/redis-provider.js';
import type { Provider } from '../provider/provider.js';
import { loadProviderTls } from '../provider/provider-tls-options.js';

export interface ProvidersRequest {
  config: StaticConfig;
  plugins: LoadedPlugins;
  logger: Logger;
  /** The install configuration file, when it came from one: errors at start name it. */
  configFile?: string | undefined;
}

export function providersFromConfig(request: ProvidersRequest): Provider[] {
  const { config, plugins, logger, configFile } = request;
  const providers: Provider[] = pluginProvidersFromConfig({
    configured: config.providers.plugin ?? {},
    plugins,
    logger,
    configFile,
  });
  const file = config.providers.file;
  if (file) {
    providers.push(
      new FileProvider({
        filename: file.filename,
        directory: file.directory,
        watch: file.watch,
        debugLogGeneratedTemplate: file.debugLogGeneratedTemplate,
        installFile: configFile,
      }),
    );
  }
  const http = config.providers.http;
  if (http) {
    providers.push(
      new HttpProvider({
        endpoint: http.endpoint,
        pollIntervalMs: http.pollInterval,
        pollTimeoutMs: http.pollTimeout,
        headers: http.headers,
        maxBodyBytes: http.maxResponseBodySize,
        tls: http.tls ? loadProviderTls(http.tls, 'providers.http.tls') : undefined,
      }),
    );
  }
  const { docker, etcd, redis } = config.providers;
  if (docker) providers.push(new DockerProvider(docker));
  if (etcd) providers.push(new EtcdProvider(etcd));
  if (redis) providers.push(new RedisProvider(redis));
  return providers;
}
