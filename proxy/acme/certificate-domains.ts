/**
 * Which certificates a resolver must hold, from the routers that use it: a pure function of
 * plain data, as Traefik decides it. A router with `tls.domains` asks for one certificate per
 * entry; without them, one certificate for the literal hosts of its rule's `Host` matchers.
 */
import type { CertificateDomain } from './acme-json-store.js';

/** What one router says about certificates, read from the runtime configuration. */
export interface RouterCertificateRequest {
  routerName: string;
  certResolver: string | undefined;
  /** `tls.domains` of the router, when set. */
  domains: readonly CertificateDomain[] | undefined;
  /** The literal hosts of the rule's Host matchers (see ruleHostLiterals). */
  hostsFromRule: readonly string[];
}

export interface DomainProblem {
  routerName: string;
  message: string;
}

export interface ResolverDomains {
  domains: CertificateDomain[];
  /** Routers whose request cannot be honoured; each is logged and the others go on. */
  problems: DomainProblem[];
}

export function domainsForResolver(
  resolver: string,
  routers: readonly RouterCertificateRequest[],
): ResolverDomains {
  const domains: CertificateDomain[] = [];
  const problems: DomainProblem[] = [];
  const seen = new Set<string>();
  const sorted = [...routers].sort((a, b) => a.routerName.localeCompare(b.routerName));
  for (const router of sorted) {
    if (router.certResolver !== resolver) continue;
    const wanted: CertificateDomain[] =
      router.domains && router.domains.length > 0
        ? [...router.domains]
        : router.hostsFromRule.length > 0
          ? [toDomain(router.hostsFromRule)]
          : [];
    if (wanted.length === 0) {
      problems.push({
        routerName: router.routerName,
        message: `router ${router.routerName} uses the certificate resolver "${resolver}" but has no tls.domains and its rule names no Host: add tls.domains or a Host(...) matcher`,
      });
      continue;
    }
    for (const domain of wanted) {
      const names = sanitizeNames(domain);
      if (typeof names === 'string') {
        problems.push({ routerName: router.routerName, message: `router ${router.routerName}: ${names}` });
        continue;
      }
      const key = [...names].sort().join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      domains.push(toDomain(names));
    }
  }
  return { domains: withoutCovered(domains), problems };
}

/** The names of a domain, main first. */
export function domainNames(domain: CertificateDomain): string[] {
  return [domain.main, ...(domain.sans ?? [])].filter((name) => name !== '');
}

/** Whether `name` is served by a certificate for `certificateName` (exact, or a one-label wildcard). */
export function nameCoveredBy(name: string, certificateName: string): boolean {
  if (name === certificateName) return true;
  if (!certificateName.startsWith('*.')) return false;
  const dot = name.indexOf('.');
  return dot > 0 && !name.startsWith('*') && name.slice(dot + 1) === certificateName.slice(2);
}

/** Whether every name of `domain` is served by one of the certificates' names. */
export function domainCovered(domain: CertificateDomain, certificateNames: readonly string[]): boolean {
  return domainNames(domain).every((name) => certificateNames.some((c) => nameCoveredBy(name, c)));
}

function toDomain(names: readonly string[]): CertificateDomain {
  const [main = '', ...sans] = names;
  return sans.length > 0 ? { main, sans } : { main };
}

/** Lower-cased names without trailing dots; a message when ACME cannot issue for them. */
function sanitizeNames(domain: CertificateDomain): string[] | string {
  const names = [...new Set(domainNames(domain).map((n) => n.toLowerCase().replace(/\.+$/, '')))];
  if (names.length === 0 || names.some((n) => n === '')) return 'a tls.domains entry has an empty main name';
  const doubleWildcard = names.find((n) => n.startsWith('*.*'));
  if (doubleWildcard) return `"${doubleWildcard}": ACME does not allow '*.*' wildcard domains`;
  return names;
}

/**
 * Drops a domain whose names are all covered by another's (a wildcard, or a superset). Of two
 * that cover each other, the first is kept.
 */
function withoutCovered(domains: CertificateDomain[]): CertificateDomain[] {
  return domains.filter(
    (domain, index) =>
      !domains.some(
        (other, j) =>
          j !== index &&
          domainCovered(domain, domainNames(other)) &&
          (j < index || !domainCovered(other, domainNames(domain))),
      ),
  );
}
