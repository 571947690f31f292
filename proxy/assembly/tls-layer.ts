/**
 * Step 4a of the assembly: the TLS layer of the entryPoints. Made once (the generated default
 * certificate, the SecureContext cache, the TLS-ALPN-01 registry), then rebuilt by the applier
 * with each configuration: certificates and options from the `tls` section, options per router
 * host, swapped into every entryPoint with the routing.
 */
import type { AffineurError } from '../../src/errors/affineur-error.js';
import type { EntryPointConfig, EntryPointTlsConfig } from '../config/static-schema.js';
import type { CompiledRule } from '../rules/compile-rule.js';
import type { RuntimeConfig } from '../runtime/runtime-config.js';
import { buildTls, CertificateCache, type TlsSnapshot } from '../tls/build-tls.js';
import { defaultCertificate, type PemPair } from '../tls/default-certificate.js';
import { SecureContexts } from '../tls/secure-contexts.js';
import { TlsAlpnChallenges } from '../tls/tls-alpn-challenges.js';
import type { DynamicObjects } from '../watcher/dynamic-objects.js';

export class TlsLayer {
  readonly secureContexts = new SecureContexts();
  readonly challenges: TlsAlpnChallenges;
  readonly entryPointTls: ReadonlyMap<string, EntryPointTlsConfig | undefined>;
  readonly #generatedDefault: PemPair;
  readonly #certificates = new CertificateCache();

  constructor(
    entryPoints: ReadonlyMap<string, EntryPointConfig>,
    generatedDefault: PemPair,
    challenges: TlsAlpnChallenges,
  ) {
    this.entryPointTls = new Map([...entryPoints].map(([name, ep]) => [name, ep.http.tls]));
    this.#generatedDefault = generatedDefault;
    this.challenges = challenges;
  }

  /** What the entryPoints serve for this configuration; its problems are added to `runtime.errors`. */
  build(objects: DynamicObjects, runtime: RuntimeConfig<CompiledRule>): TlsSnapshot {
    const { snapshot, errors } = buildTls(
      {
        tls: objects.tls,
        routers: runtime.routers,
        entryPointTls: this.entryPointTls,
        generatedDefault: this.#generatedDefault,
      },
      this.#certificates,
    );
    runtime.errors.push(...(errors as AffineurError[]));
    const ids = new Set<string>();
    for (const certificate of snapshot.store.certificates()) ids.add(certificate.id);
    this.secureContexts.retain(ids, new Set([...snapshot.options.values()].map((o) => o.fingerprint)));
    return snapshot;
  }
}

export async function createTlsLayer(
  entryPoints: ReadonlyMap<string, EntryPointConfig>,
  challenges: TlsAlpnChallenges = new TlsAlpnChallenges(),
): Promise<TlsLayer> {
  return new TlsLayer(entryPoints, await defaultCertificate(), challenges);
}
