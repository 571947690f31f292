/**
 * What the configuration builder needs to know about one container, read from the Engine's
 * inspect answer. Keeping the builder on this plain shape keeps it pure: tests and the
 * benchmark feed it label sets without a daemon.
 */
import type { ContainerInspectInfo } from 'dockerode';

export interface PortBinding {
  hostIp: string;
  hostPort: string;
}

export interface ContainerInfo {
  id: string;
  /** Without Docker's leading "/". */
  name: string;
  labels: Readonly<Record<string, string>>;
  /** running, paused, exited, created, restarting, dead. */
  state: string;
  /** healthy, unhealthy or starting; empty when the image has no HEALTHCHECK. */
  health: string;
  /** host, bridge, none, container:<id>, or a network name. */
  networkMode: string;
  /** Network name → the container's address on it. */
  networks: Readonly<Record<string, string>>;
  /** Exposed ports (`80/tcp`) → their host bindings. */
  ports: Readonly<Record<string, readonly PortBinding[]>>;
  /** For `container:<id>` network mode: the address of the container whose network it shares. */
  sharedNetworkAddress?: string;
}

export function containerFromInspect(inspect: ContainerInspectInfo): ContainerInfo {
  const networks: Record<string, string> = {};
  for (const [name, network] of Object.entries(inspect.NetworkSettings?.Networks ?? {})) {
    networks[name] = network.IPAddress || network.GlobalIPv6Address || '';
  }
  const ports: Record<string, PortBinding[]> = {};
  for (const [port, bindings] of Object.entries(inspect.NetworkSettings?.Ports ?? {})) {
    ports[port] = (bindings ?? []).map((b) => ({ hostIp: b.HostIp, hostPort: b.HostPort }));
  }
  // Ports the image exposes but nothing publishes still tell the default port.
  for (const port of Object.keys(inspect.Config?.ExposedPorts ?? {})) ports[port] ??= [];
  return {
    id: inspect.Id,
    name: inspect.Name.replace(/^\//, ''),
    labels: inspect.Config?.Labels ?? {},
    state: inspect.State?.Status ?? '',
    health: inspect.State?.Health?.Status ?? '',
    networkMode: inspect.HostConfig?.NetworkMode ?? '',
    networks,
    ports,
  };
}
