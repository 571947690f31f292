/**
 * `providers.precedence` (Traefik v3): when routers of different providers tie on priority, the
 * one whose provider comes first in this list wins. A provider absent from the list loses to
 * every listed one; ties between unlisted providers fall back to the router name, as all other
 * ties do. Provider names are compared case-insensitively.
 */

/** Traefik's order when `providers.precedence` is not set, highest first (its documentation). */
export const defaultProviderPrecedence: readonly string[] = [
  'kubernetesgateway',
  'kubernetescrd',
  'kubernetes',
  'kubernetesingressnginx',
  'swarm',
  'docker',
  'file',
  'redis',
  'knative',
  'consul',
  'consulcatalog',
  'nomad',
  'etcd',
  'ecs',
  'http',
  'zookeeper',
  'rest',
];

/** The rank of a provider (lower wins) under the given precedence, or Traefik's default one. */
export function providerRanker(
  precedence: readonly string[] | undefined,
): (provider: string | undefined) => number {
  const order = new Map(
    (precedence ?? defaultProviderPrecedence).map((name, index) => [name.toLowerCase(), index]),
  );
  const unlisted = order.size;
  return (provider) => (provider === undefined ? unlisted : (order.get(provider.toLowerCase()) ?? unlisted));
}
