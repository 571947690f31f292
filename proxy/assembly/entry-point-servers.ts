/**
 * Step 2 of the assembly: one EntryPointServer per entryPoint, with its forwarded-header trust
 * and access log. Traefik serves ping (and the API) on an entryPoint named `traefik`, port 8080,
 * made here on demand.
 */
import type { AddressInfo } from 'node:net';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import type { EntryPointConfig, StaticConfig } from '../config/static-schema.js';
import { entryPointSchema } from '../config/static-schema.js';
import { peerTrust } from '../forward/trusted-peers.js';
import type { AccessLogWriter } from '../log/access-log.js';
import { EntryPointServer } from '../server/entry-point-server.js';
import type { TlsLayer } from './tls-layer.js';

export function entryPointsWithInternal(config: StaticConfig): Map<string, EntryPointConfig> {
  const entryPoints = new Map(Object.entries(config.entryPoints));
  const wanted = config.ping && !config.ping.manualRouting ? config.ping.entryPoint : undefined;
  if (wanted && !entryPoints.has(wanted)) {
    if (wanted !== 'traefik') {
      throw new AffineurError('AFF_ERR_PROXY_UNKNOWN_REFERENCE', `entryPoint "${wanted}" does not exist.`, {
        keyPath: 'ping.entryPoint',
        hint: `Define entryPoints.${wanted}, or leave ping.entryPoint out to use "traefik" on :8080.`,
      });
    }
    entryPoints.set('traefik', entryPointSchema.parse({ address: ':8080' }));
  }
  return entryPoints;
}

export function createEntryPointServers(
  entryPoints: ReadonlyMap<string, EntryPointConfig>,
  logger: Logger,
  accessLog: AccessLogWriter | undefined,
  tls?: TlsLayer,
): Map<string, EntryPointServer> {
  const servers = new Map<string, EntryPointServer>();
  for (const [name, ep] of entryPoints) {
    servers.set(
      name,
      new EntryPointServer({
        name,
        config: ep,
        trust: peerTrust(ep.forwardedHeaders, `entryPoints.${name}.forwardedHeaders.trustedIPs`),
        logger,
        accessLog: ep.observability?.accessLogs === false ? undefined : accessLog,
        ...(tls ? { secureContexts: tls.secureContexts, tlsAlpnChallenge: tls.challenges.lookup } : {}),
      }),
    );
  }
  return servers;
}

/** Binds every entryPoint; if one cannot listen, the ones already bound are closed again. */
export async function listenAll(
  servers: ReadonlyMap<string, EntryPointServer>,
): Promise<Map<string, AddressInfo>> {
  const addresses = new Map<string, AddressInfo>();
  try {
    for (const [name, server] of servers) addresses.set(name, await server.listen());
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.drain(0).catch(() => undefined)));
    throw error;
  }
  return addresses;
}

/** Graceful shutdown of every entryPoint, honouring its lifeCycle. */
export async function drainAll(
  servers: ReadonlyMap<string, EntryPointServer>,
  entryPoints: ReadonlyMap<string, EntryPointConfig>,
): Promise<void> {
  await Promise.all(
    [...servers.values()].map(async (server) => {
      const lifeCycle = (entryPoints.get(server.name) as EntryPointConfig).transport.lifeCycle;
      if (lifeCycle.requestAcceptGraceTimeout > 0) await delay(lifeCycle.requestAcceptGraceTimeout);
      await server.drain(lifeCycle.graceTimeOut);
    }),
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
