/**
 * From the `tls` section and the routers to what TLS entryPoints use for each handshake: the
 * default store's certificates, every TLS options set (with `default`), and for each entryPoint
 * which options each router host asks for. Like the router table it is built aside and swapped
 * in whole. A bad certificate or options set is left out with its error; nothing else is.
 */
import { AffineurError, AffineurErrorList } from '../../src/errors/affineur-error.js';
import type { RouterTlsConfig } from '../config/dynamic-schema.js';
import type { EntryPointTlsConfig } from '../config/static-schema.js';
import type { CompiledRule } from '../rules/compile-rule.js';
import { ruleHostNames } from '../rules/rule-host-names.js';
import type { RuntimeRouter } from '../runtime/runtime-config.js';
import type { TlsObjects } from '../watcher/dynamic-objects.js';
import { qualifyTlsOptions } from '../watcher/read-provider-config.js';
import { CertificateStore } from './certificate-store.js';
import type { PemPair } from './default-certificate.js';
import { type LoadedCertificate, loadCertificate } from './loaded-certificate.js';
import { builtinDefaultOptions, type ResolvedTlsOptions, resolveTlsOptions } from './tls-options.js';

export interface TlsSnapshot {
  store: CertificateStore;
  /** By qualified name; always has `default`. */
  options: ReadonlyMap<string, ResolvedTlsOptions>;
  /** Per entryPoint: the options name of each router host (exact names and `*.` wildcards). */
  hostOptions: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export interface TlsBuildInput {
  tls: TlsObjects | undefined;
  routers: ReadonlyMap<string, RuntimeRouter<CompiledRule>>;
  /** `entryPoints.<name>.http.tls` of each entryPoint. */
  entryPointTls: ReadonlyMap<string, EntryPointTlsConfig | undefined>;
  /** The generated default certificate (Traefik's TRAEFIK DEFAULT CERT). */
  generatedDefault: PemPair;
}

/** The TLS a router has on an entryPoint: its own, else the entryPoint's `http.tls`, else none. */
export function routerTls(
  router: Pick<RuntimeRouter<unknown>, 'name' | 'config'>,
  entryPointTls: EntryPointTlsConfig | undefined,
): RouterTlsConfig | undefined {
  if (router.config?.tls) return router.config.tls;
  const ep = entryPointTls;
  if (!ep) return undefined;
  const provider = router.name.slice(router.name.lastIndexOf('@') + 1);
  return {
    ...(ep.options ? { options: qualifyTlsOptions(ep.options, provider) } : {}),
    ...(ep.certResolver ? { certResolver: ep.certResolver } : {}),
    domains: ep.domains,
  };
}

/** Loads certificates once per content: a reload re-reads files but re-parses only what changed. */
export class CertificateCache {
  #cache = new Map<string, LoadedCertificate>();
  #next = new Map<string, LoadedCertificate>();

  load(
    certFile: string,
    keyFile: string,
    place: { keyPath: string; file?: string | undefined },
  ): LoadedCertificate {
    const key = `${certFile}\0${keyFile}`;
    // Inline PEM is its own content; a path is read again (the file may have changed).
    const inline = certFile.includes('-----BEGIN') && keyFile.includes('-----BEGIN');
    const cached = inline ? this.#cache.get(key) : undefined;
    const loaded =
      cached && cached.notAfter.getTime() > Date.now() ? cached : loadCertificate(certFile, keyFile, place);
    if (inline) this.#next.set(key, loaded);
    return loaded;
  }

  /** Call after each build: forgets what the build did not use. */
  commit(): void {
    this.#cache = this.#next;
    this.#next = new Map();
  }
}

export function buildTls(
  input: TlsBuildInput,
  cache: CertificateCache,
): { snapshot: TlsSnapshot; errors: AffineurError[] } {
  const errors: AffineurError[] = [];
  const tls = input.tls;
  const note = (error: unknown, origin?: { file?: string | undefined; keyPath: string }) => {
    const list = error instanceof AffineurErrorList ? [...error.errors] : [error];
    for (const e of list) {
      if (e instanceof AffineurError) errors.push(e);
      else
        errors.push(
          new AffineurError('AFF_ERR_CONFIG_INVALID', `cannot be used: ${(e as Error).message}`, {
            ...(origin?.file ? { file: origin.file } : {}),
            keyPath: origin?.keyPath ?? 'tls',
          }),
        );
    }
  };

  // Options: `default` is the built-in one unless a provider defines it.
  const options = new Map<string, ResolvedTlsOptions>();
  options.set('default', resolveTlsOptions('default', builtinDefaultOptions, 'tls.options.default'));
  for (const [name, object] of tls?.options ?? []) {
    errors.push(...object.errors);
    if (!object.value) continue;
    try {
      options.set(name, resolveTlsOptions(name, object.value, object.origin.keyPath, object.origin.file));
    } catch (error) {
      note(error, object.origin);
    }
  }

  // Certificates of the default store (the only store Traefik uses).
  const certificates: LoadedCertificate[] = [];
  for (const object of tls?.certificates ?? []) {
    errors.push(...object.errors);
    const value = object.value;
    if (!value) continue;
    const others = value.stores.filter((s) => s !== 'default');
    if (others.length > 0) {
      errors.push(
        new AffineurError('AFF_ERR_PROXY_TLS_CERTIFICATE', `TLS store "${others[0]}" is not used.`, {
          ...(object.origin.file ? { file: object.origin.file } : {}),
          keyPath: `${object.origin.keyPath}.stores`,
          hint: 'As in Traefik, only the store named "default" serves; put the certificate there.',
        }),
      );
    }
    if (!value.stores.includes('default')) continue;
    try {
      certificates.push(cache.load(value.certFile, value.keyFile, object.origin));
    } catch (error) {
      note(error, object.origin);
    }
  }

  let defaultCertificate: LoadedCertificate | undefined;
  for (const [name, object] of tls?.stores ?? []) {
    errors.push(...object.errors);
    if (name !== 'default') {
      errors.push(
        new AffineurError('AFF_ERR_PROXY_TLS_CERTIFICATE', `TLS store "${name}" is not used.`, {
          ...(object.origin.file ? { file: object.origin.file } : {}),
          keyPath: object.origin.keyPath,
          hint: 'As in Traefik, only the store named "default" serves.',
        }),
      );
      continue;
    }
    const store = object.value;
    if (store?.defaultCertificate) {
      try {
        defaultCertificate = cache.load(store.defaultCertificate.certFile, store.defaultCertificate.keyFile, {
          keyPath: `${object.origin.keyPath}.defaultCertificate`,
          file: object.origin.file,
        });
      } catch (error) {
        note(error);
      }
    } else if (store?.defaultGeneratedCert) {
      // The resolver delivers its certificate through tls.certificates like any other: once it
      // is there, it is the default; until then the generated one serves.
      const main = store.defaultGeneratedCert.domain.main.toLowerCase();
      defaultCertificate = certificates.find((c) => c.names.includes(main));
    }
  }
  defaultCertificate ??= cache.load(input.generatedDefault.certPem, input.generatedDefault.keyPem, {
    keyPath: 'TRAEFIK DEFAULT CERT',
  });
  cache.commit();

  // TLS options per host and entryPoint, with Traefik's conflict rule.
  const hostOptions = new Map<string, Map<string, string>>();
  const conflicts = new Set<string>();
  for (const router of input.routers.values()) {
    if (router.status !== 'enabled' || !router.rule) continue;
    for (const ep of router.entryPoints) {
      const routerTlsConfig = routerTls(router, input.entryPointTls.get(ep));
      if (!routerTlsConfig) continue;
      const name = routerTlsConfig.options ?? 'default';
      const byHost = hostOptions.get(ep) ?? new Map<string, string>();
      hostOptions.set(ep, byHost);
      for (const host of ruleHostNames(router.rule)) {
        const existing = byHost.get(host);
        if (existing === undefined) byHost.set(host, options.has(name) ? name : 'default');
        else if (existing !== name && !conflicts.has(`${ep}|${host}`)) {
          conflicts.add(`${ep}|${host}`);
          byHost.set(host, 'default');
          errors.push(
            new AffineurError(
              'AFF_ERR_PROXY_TLS_OPTIONS',
              `routers for host "${host}" on entryPoint "${ep}" ask for different TLS options ("${existing}" and "${name}"); the default options are used.`,
              {
                keyPath: `${router.origin?.keyPath ?? router.name}.tls.options`,
                hint: 'Give every router of one host the same TLS options, as Traefik requires.',
              },
            ),
          );
        }
      }
    }
  }
  return {
    snapshot: { store: new CertificateStore(certificates, defaultCertificate), options, hostOptions },
    errors,
  };
}

/** The options for a server name on an entryPoint: exact host, then a one-label wildcard, else default. */
export function optionsForHost(
  snapshot: TlsSnapshot,
  entryPoint: string,
  host: string | undefined,
): ResolvedTlsOptions {
  const byHost = snapshot.hostOptions.get(entryPoint);
  let name: string | undefined;
  if (byHost && host) {
    name = byHost.get(host);
    if (name === undefined) {
      const dot = host.indexOf('.');
      if (dot !== -1) name = byHost.get(`*${host.slice(dot)}`);
    }
  }
  return (snapshot.options.get(name ?? 'default') ?? snapshot.options.get('default')) as ResolvedTlsOptions;
}
