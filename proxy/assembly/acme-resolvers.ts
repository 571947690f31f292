/**
 * Assembly step for ACME: one provider per `certificatesResolvers.<name>.acme` (named
 * `<name>.acme`), the HTTP-01 responder they share, and the listener that turns each applied
 * routing into the domains every resolver must hold. Mistakes in the resolvers' install options
 * stop the start before any port is bound, naming the key path.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import { registerCaConnection } from '../acme/acme-ca-connection.js';
import { acmeJsonStore } from '../acme/acme-json-store.js';
import { AcmeResolver } from '../acme/acme-resolver.js';
import { domainsForResolver, type RouterCertificateRequest } from '../acme/certificate-domains.js';
import { HttpChallengeResponder } from '../acme/http-challenge-responder.js';
import { ruleHostLiterals } from '../acme/rule-host-literals.js';
import type { TlsAlpnChallengeSink } from '../acme/tls-alpn-challenge-sink.js';
import type { EntryPointConfig, StaticConfig } from '../config/static-schema.js';
import type { CompiledRule } from '../rules/compile-rule.js';
import type { RuntimeConfig } from '../runtime/runtime-config.js';

export interface AcmeAssembly {
  /** Each resolver by its name; each is also a provider. */
  resolvers: Map<string, AcmeResolver>;
  /** Served as `acme-http@internal` on the entryPoints below, when a resolver uses HTTP-01. */
  httpChallenge:
    | { responder: HttpChallengeResponder; entryPoints: string[]; bypassEntryPoints: string[] }
    | undefined;
  /** Where TLS-ALPN-01 certificates go; the TLS entryPoint answers `acme-tls/1` from it. */
  tlsAlpnChallenges: TlsAlpnChallengeSink;
  /** Give it to the applier: each applied routing tells the resolvers which domains to hold. */
  watchRouters: (runtime: RuntimeConfig<CompiledRule>) => void;
}

export interface AcmeRequest {
  config: StaticConfig;
  entryPoints: ReadonlyMap<string, EntryPointConfig>;
  logger: Logger;
  /** The install configuration file, when it came from one: errors at start name it. */
  configFile?: string | undefined;
  /** The TLS layer's registry of TLS-ALPN-01 certificates, which the TLS entryPoints answer from. */
  tlsAlpnChallenges: TlsAlpnChallengeSink;
}

export function acmeResolvers(request: AcmeRequest): AcmeAssembly {
  const { config, entryPoints, logger, configFile, tlsAlpnChallenges } = request;
  const resolvers = new Map<string, AcmeResolver>();
  const responder = new HttpChallengeResponder();
  const challengeEntryPoints = new Set<string>();
  for (const [name, resolverConfig] of Object.entries(config.certificatesResolvers ?? {})) {
    const acme = resolverConfig.acme;
    if (!acme) continue;
    const keyPath = `certificatesResolvers.${name}.acme`;
    const entryPoint = acme.httpChallenge?.entryPoint;
    if (entryPoint !== undefined && !entryPoints.has(entryPoint)) {
      throw new AffineurError('AFF_ERR_CONFIG_INVALID', `the entryPoint "${entryPoint}" does not exist.`, {
        ...(configFile ? { file: configFile } : {}),
        keyPath: `${keyPath}.httpChallenge.entryPoint`,
        hint: `Name one of the entryPoints (${[...entryPoints.keys()].join(', ')}), the one listening on port 80.`,
      });
    }
    if (entryPoint !== undefined) challengeEntryPoints.add(entryPoint);
    registerCaConnection(keyPath, acme, configFile);
    resolvers.set(
      name,
      new AcmeResolver({
        resolverName: name,
        config: acme,
        storage: acmeJsonStore(resolve(acme.storage)),
        httpChallenges: acme.httpChallenge ? responder : undefined,
        tlsAlpnChallenges: acme.tlsChallenge ? tlsAlpnChallenges : undefined,
        logger,
      }),
    );
  }
  const all = [...challengeEntryPoints];
  const bypass = all.filter((ep) => entryPoints.get(ep)?.allowACMEByPass);
  return {
    resolvers,
    httpChallenge:
      all.length > 0
        ? { responder, entryPoints: all.filter((ep) => !bypass.includes(ep)), bypassEntryPoints: bypass }
        : undefined,
    tlsAlpnChallenges,
    watchRouters: (runtime) => {
      if (resolvers.size === 0) return;
      const requests = routerCertificateRequests(runtime);
      for (const [name, resolver] of resolvers) {
        const { domains, problems } = domainsForResolver(name, requests);
        for (const problem of problems)
          logger.error({ resolver: name, router: problem.routerName }, problem.message);
        resolver.dropRetriesExcept(domains);
        if (domains.length > 0) void resolver.ensureDomains(domains);
      }
    },
  };
}

/** A router's `tls`, read as Traefik defines it; anything else is the runtime's business. */
const routerTlsSchema = z.looseObject({
  certResolver: z.string().optional(),
  domains: z.array(z.object({ main: z.string(), sans: z.array(z.string()).optional() })).optional(),
});

/** What each enabled router says about certificates, for domainsForResolver. */
export function routerCertificateRequests(runtime: RuntimeConfig<CompiledRule>): RouterCertificateRequest[] {
  const requests: RouterCertificateRequest[] = [];
  for (const router of runtime.routers.values()) {
    if (router.status !== 'enabled' || !router.config) continue;
    const tls = routerTlsSchema.safeParse((router.config as { tls?: unknown }).tls);
    if (!tls.success || !tls.data.certResolver) continue;
    let hostsFromRule: string[] = [];
    try {
      hostsFromRule = ruleHostLiterals(router.config.rule);
    } catch {
      // A rule that does not parse has already disabled its router.
    }
    requests.push({
      routerName: router.name,
      certResolver: tls.data.certResolver,
      domains: tls.data.domains,
      hostsFromRule,
    });
  }
  return requests;
}
