/**
 * `affineur proxy`: loads the install configuration (file, else flags, else env vars, as
 * Traefik does), starts the proxy, and shuts it down gracefully on SIGTERM or SIGINT.
 */

import type { CliIo, Command } from '../src/cli/command.js';
import { type LoadedStaticConfig, loadStaticConfig } from '../src/config/static-config.js';
import { createLogger } from '../src/log/logger.js';
import { withoutOwnRoutingSections } from './config/install-file-routing.js';
import { type StaticConfig, staticConfigSchema } from './config/static-schema.js';
import { startProxy } from './proxy-app.js';

const help = `Usage: affineur proxy [--configFile=FILE] [--section.key=value ...]

Runs the reverse proxy. The install configuration is Traefik v3's, read from exactly one source:
  1. a file: --configFile=FILE or AFFINEUR_CONFIGFILE (else affineur.yml/.yaml/.toml in the
     working directory or /etc/affineur), YAML or TOML;
  2. else command-line flags, such as --entryPoints.web.address=:8080
     --providers.file.directory=./dynamic --ping;
  3. else environment variables, such as AFFINEUR_ENTRYPOINTS_WEB_ADDRESS=:8080.

Routing configuration (routers, services) comes from providers; see docs/proxy.md.
SIGTERM or SIGINT stops gracefully (entryPoints.<name>.transport.lifeCycle).
`;

const logLevels: Record<string, string> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
  PANIC: 'fatal',
};

/**
 * The install configuration as `affineur proxy` reads it: one source (file, flags or env), and
 * for a file, its routing sections set aside when its own file provider reads it.
 */
export function loadProxyInstallConfig(
  args: readonly string[],
  io: Pick<CliIo, 'env' | 'cwd'>,
): Promise<LoadedStaticConfig<StaticConfig>> {
  return loadStaticConfig({
    schema: staticConfigSchema,
    args,
    env: io.env,
    defaultFiles: [
      'affineur.yml',
      'affineur.yaml',
      'affineur.toml',
      '/etc/affineur/affineur.yml',
      '/etc/affineur/affineur.toml',
    ].map((file) => (file.startsWith('/') ? file : `${io.cwd}/${file}`)),
    // Traefik's single-file setup: routing sections belong to the file provider reading this file.
    prepareFileValue: (file) => withoutOwnRoutingSections(file, io.cwd),
  });
}

export const proxyCommand: Command = {
  name: 'proxy',
  summary: 'Run the Traefik-compatible reverse proxy.',
  help,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const loaded = await loadProxyInstallConfig(args, io);
    const config = loaded.config;
    const logger = createLogger({
      level: logLevels[config.log.level] ?? 'error',
      format: config.log.format === 'json' ? 'json' : 'pretty',
      ...(config.log.filePath ? { filePath: config.log.filePath } : {}),
      name: 'affineur-proxy',
    });
    if (loaded.ignored.length > 0) {
      logger.warn(
        { ignored: loaded.ignored },
        'only one configuration source is used; these settings were ignored',
      );
    }
    if (Object.keys(config.entryPoints).length === 0) {
      logger.warn('no entryPoints are configured; set entryPoints.<name>.address');
    }
    const proxy = await startProxy(config, {
      logger,
      configFile: loaded.source.kind === 'file' ? loaded.source.file : undefined,
    });
    for (const [name, address] of proxy.addresses)
      logger.info({ entryPoint: name, port: address.port }, 'listening');
    io.stdout.write(
      `affineur proxy: ${[...proxy.addresses].map(([name, a]) => `${name} on :${a.port}`).join(', ') || 'no entryPoints'}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        logger.info('shutting down');
        void proxy.stop().then(resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  },
};
