/**
 * One `certificatesResolvers.<name>.acme`: a provider, as in Traefik, named `<name>.acme`. It
 * emits its certificates as dynamic configuration (`tls.certificates`, inline PEM, store
 * `default`), keeps them in `acme.json`, orders what the routers ask for (deduplicated), renews
 * in the background, and retries failed orders with exponential backoff. An unreachable CA or a
 * failed validation is logged with the resolver, the domain and the ACME error; the routing in
 * service is never touched by it.
 */
import { X509Certificate } from 'node:crypto';
import type * as acme from 'acme-client';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import type { ConfigMessage, Provider } from '../provider/provider.js';
import { isRegistrationError, openAccount } from './acme-account.js';
import { probeCa } from './acme-ca-connection.js';
import type {
  AcmeJsonStore,
  CertificateDomain,
  StoredCertificate,
  StoredResolver,
} from './acme-json-store.js';
import { orderCertificate } from './acme-order.js';
import type { AcmeConfig } from './acme-resolver-schema.js';
import { domainCovered, domainNames } from './certificate-domains.js';
import { generateAccountKey } from './certificate-key.js';
import type { HttpChallengeResponder } from './http-challenge-responder.js';
import { needsRenewal, type RenewalSchedule, renewalSchedule } from './renewal-schedule.js';
import type { TlsAlpnChallengeSink } from './tls-alpn-challenge-sink.js';

/** The TLS store ACME certificates go to, as in Traefik. */
const defaultStore = 'default';

export interface AcmeResolverOptions {
  /** The resolver's name: `certificatesResolvers.<name>`. */
  resolverName: string;
  config: AcmeConfig;
  storage: AcmeJsonStore;
  /** Where HTTP-01 answers are served (when `httpChallenge` is set). */
  httpChallenges?: HttpChallengeResponder | undefined;
  /** Where TLS-ALPN-01 certificates go (when `tlsChallenge` is set). */
  tlsAlpnChallenges?: TlsAlpnChallengeSink | undefined;
  logger: Logger;
  /** Backoff of failed orders: first wait, doubled up to `maxMs`. */
  retry?: { initialMs: number; maxMs: number };
  /** Overrides the check interval that `certificatesDuration` gives (tests). */
  renewCheckIntervalMs?: number;
}

export interface OrderOutcome {
  domain: CertificateDomain;
  /** Undefined when the certificate was obtained. */
  error?: AffineurError;
}

export class AcmeResolver implements Provider {
  readonly name: string;
  readonly resolverName: string;
  readonly #options: AcmeResolverOptions;
  readonly #schedule: RenewalSchedule;
  #logger: Logger;
  #certificates: StoredCertificate[] = [];
  #account: StoredResolver['Account'] = null;
  #client: Promise<acme.Client> | undefined;
  #newAccountKey: ReturnType<typeof generateAccountKey> | undefined;
  #emit: ((message: ConfigMessage) => void) | undefined;
  /** In-flight orders by their sorted names: a domain is never ordered twice at once. */
  readonly #inFlight = new Map<string, Promise<OrderOutcome>>();
  readonly #retryTimers = new Map<string, NodeJS.Timeout>();
  #renewTimer: NodeJS.Timeout | undefined;
  #loaded = false;
  #stopped = false;

  constructor(options: AcmeResolverOptions) {
    this.#options = options;
    this.resolverName = options.resolverName;
    this.name = `${options.resolverName}.acme`;
    this.#schedule = renewalSchedule(options.config.certificatesDuration);
    this.#logger = options.logger.child({ resolver: options.resolverName });
  }

  /** The certificates held now (PEM), as `tls.certificates` entries would carry them. */
  get certificates(): readonly { domain: CertificateDomain; certPem: string; keyPem: string }[] {
    return this.#certificates.map((c) => ({
      domain: c.domain,
      certPem: Buffer.from(c.certificate, 'base64').toString(),
      keyPem: Buffer.from(c.key, 'base64').toString(),
    }));
  }

  async start(emit: (message: ConfigMessage) => void, signal: AbortSignal, logger: Logger): Promise<void> {
    this.#logger = logger.child({ resolver: this.resolverName });
    this.#emit = emit;
    signal.addEventListener('abort', () => this.stop(), { once: true });
    try {
      this.#load();
    } catch (error) {
      this.#logger.error({ err: error, code: (error as AffineurError).code }, (error as Error).message);
    }
    this.#publish();
    const interval = this.#options.renewCheckIntervalMs ?? this.#schedule.checkIntervalMs;
    this.#renewTimer = setInterval(() => void this.checkRenewals(), interval);
    this.#renewTimer.unref();
    void this.checkRenewals();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#renewTimer);
    for (const timer of this.#retryTimers.values()) clearTimeout(timer);
    this.#retryTimers.clear();
  }

  /**
   * Makes sure each domain has a certificate: orders those that no held certificate (or order
   * in flight) covers. Resolves when each order's first attempt is over; a failed one is logged
   * and retried in the background.
   */
  async ensureDomains(domains: readonly CertificateDomain[]): Promise<OrderOutcome[]> {
    try {
      this.#load();
    } catch (error) {
      // Ordering now would overwrite an acme.json we could not read: nothing is ordered until
      // the file is fixed (its error was logged at start, and is returned here).
      const storageError = error as AffineurError;
      this.#logger.error({ code: storageError.code }, storageError.message);
      return domains.map((domain) => ({ domain, error: storageError }));
    }
    const held = this.#certificates.flatMap((c) => domainNames(c.domain));
    const outcomes: Promise<OrderOutcome>[] = [];
    for (const domain of domains) {
      const key = orderKey(domain);
      const inFlight = this.#inFlight.get(key);
      if (inFlight) {
        outcomes.push(inFlight);
        continue;
      }
      if (domainCovered(domain, held) || this.#retryTimers.has(key)) continue;
      outcomes.push(this.#order(domain, 'obtain', 0));
    }
    return Promise.all(outcomes);
  }

  /**
   * Stops retrying first orders for names no router asks for any more (renewals of held
   * certificates go on). The routing listener calls it with the domains of the latest routing.
   */
  dropRetriesExcept(wanted: readonly CertificateDomain[]): void {
    const keep = new Set(wanted.map(orderKey));
    const held = new Set(this.#certificates.map((c) => orderKey(c.domain)));
    for (const [key, timer] of this.#retryTimers) {
      if (keep.has(key) || held.has(key)) continue;
      clearTimeout(timer);
      this.#retryTimers.delete(key);
      this.#logger.info(
        { domains: key.split(',') },
        'no router asks for these names any more: their order is not retried',
      );
    }
  }

  /** Renews the certificates that expire within the renewal period; the ticker calls it too. */
  async checkRenewals(): Promise<OrderOutcome[]> {
    if (this.#stopped) return [];
    try {
      this.#load();
    } catch {
      return [];
    }
    const now = new Date();
    const due = this.#certificates.filter((c) => needsRenewal(notAfterOf(c), now, this.#schedule));
    return Promise.all(
      due
        .filter((c) => !this.#inFlight.has(orderKey(c.domain)) && !this.#retryTimers.has(orderKey(c.domain)))
        .map((c) => this.#order(c.domain, 'renew', 0)),
    );
  }

  #load(): void {
    if (this.#loaded) return;
    const entry = this.#options.storage.get(this.resolverName);
    this.#account = entry.Account;
    this.#certificates = entry.Certificates ?? [];
    this.#loaded = true;
  }

  #order(domain: CertificateDomain, why: 'obtain' | 'renew', attempt: number): Promise<OrderOutcome> {
    const key = orderKey(domain);
    const names = domainNames(domain);
    const run = (async (): Promise<OrderOutcome> => {
      try {
        this.#logger.info(
          { domains: names, attempt: attempt + 1 },
          `${why === 'renew' ? 'renewing' : 'ordering'} an ACME certificate`,
        );
        const { certPem, keyPem } = await orderCertificate(await this.#acmeClient(), names, this.#options);
        await this.#store(domain, certPem, keyPem);
        this.#logger.info(
          { domains: names, notAfter: notAfterOf({ certificate: b64(certPem) })?.toISOString() },
          'ACME certificate obtained',
        );
        return { domain };
      } catch (cause) {
        const unreachable = await this.#unreachable(cause);
        const error = this.#describe(cause, names, unreachable);
        const acmeError = unreachable ?? (cause instanceof Error ? cause.message : String(cause));
        const delay = this.#retryDelay(attempt);
        this.#logger.error(
          { code: error.code, domains: names, acmeError, retryInMs: this.#stopped ? undefined : delay },
          error.message,
        );
        if (!this.#stopped) {
          const timer = setTimeout(() => {
            this.#retryTimers.delete(key);
            void this.#order(domain, why, attempt + 1);
          }, delay);
          timer.unref();
          this.#retryTimers.set(key, timer);
        }
        return { domain, error };
      } finally {
        this.#inFlight.delete(key);
      }
    })();
    this.#inFlight.set(key, run);
    return run;
  }

  #retryDelay(attempt: number): number {
    const { initialMs, maxMs } = this.#options.retry ?? { initialMs: 30_000, maxMs: 3_600_000 };
    return Math.min(maxMs, initialMs * 2 ** attempt);
  }

  /**
   * The network or TLS error that keeps the CA out of reach, if that is why the order failed.
   * An ACME error (the CA answered) carries the CA's message and no such cause.
   */
  async #unreachable(cause: unknown): Promise<string | undefined> {
    const code = (cause as { code?: string }).code;
    if (!(cause instanceof TypeError) && !code) return undefined;
    return probeCa(this.#options.config.caServer);
  }

  /** An ACME error with what, where and how to fix; an unreachable CA is its own code. */
  #describe(cause: unknown, names: string[], unreachable: string | undefined): AffineurError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const where = `certificatesResolvers.${this.resolverName}.acme`;
    if (unreachable) {
      return new AffineurError(
        'AFF_ERR_ACME_CA_UNREACHABLE',
        `resolver "${this.resolverName}" cannot reach the ACME server ${this.#options.config.caServer} (${unreachable}) to obtain a certificate for ${names.join(', ')}; the order is retried.`,
        {
          keyPath: `${where}.caServer`,
          hint: 'Check the caServer URL, the network, and for a private CA its caCertificates and caServerName.',
          cause,
        },
      );
    }
    if (isRegistrationError(cause)) {
      return new AffineurError(
        'AFF_ERR_ACME_ORDER_FAILED',
        `resolver "${this.resolverName}" could not register an ACME account with ${this.#options.config.caServer} to obtain a certificate for ${names.join(', ')}: ${reason}; the order is retried.`,
        {
          keyPath: where,
          hint: 'Check the email, and eab.kid and eab.hmacEncoded when the CA requires External Account Binding.',
          cause,
        },
      );
    }
    return new AffineurError(
      'AFF_ERR_ACME_ORDER_FAILED',
      `resolver "${this.resolverName}" could not obtain a certificate for ${names.join(', ')}: ${reason}; the order is retried.`,
      {
        keyPath: where,
        hint: 'Check that the names resolve to this proxy and that the challenge port (80 for httpChallenge, 443 for tlsChallenge) reaches it.',
        cause,
      },
    );
  }

  /** The ACME client, with the account from acme.json or a newly registered one. */
  #acmeClient(): Promise<acme.Client> {
    this.#client ??= this.#register().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #register(): Promise<acme.Client> {
    const { client, registered } = await openAccount(this.#options.config, this.#account, () => {
      // A new key is kept across failed registrations: an RSA 4096 key per retry costs seconds.
      this.#newAccountKey ??= generateAccountKey();
      return this.#newAccountKey;
    });
    if (registered) {
      this.#account = registered;
      await this.#save();
      this.#logger.info({ account: client.getAccountUrl() }, 'ACME account registered');
    }
    return client;
  }

  async #store(domain: CertificateDomain, certPem: string, keyPem: string): Promise<void> {
    const entry: StoredCertificate = {
      domain,
      certificate: b64(certPem),
      key: b64(keyPem),
      Store: defaultStore,
    };
    const key = orderKey(domain);
    const index = this.#certificates.findIndex((c) => orderKey(c.domain) === key);
    this.#certificates =
      index === -1
        ? [...this.#certificates, entry]
        : this.#certificates.map((c, i) => (i === index ? entry : c));
    this.#publish();
    await this.#save();
  }

  async #save(): Promise<void> {
    try {
      await this.#options.storage.save(this.resolverName, {
        Account: this.#account,
        Certificates: this.#certificates,
      });
    } catch (error) {
      // The certificate is served all the same; the next start orders it again.
      this.#logger.error(
        { code: 'AFF_ERR_ACME_STORAGE', err: error },
        `resolver "${this.resolverName}" could not write ${this.#options.storage.filename}: ${String(error)}`,
      );
    }
  }

  #publish(): void {
    if (this.#stopped) return;
    const certificates = this.certificates.map((c) => ({
      certFile: c.certPem,
      keyFile: c.keyPem,
      stores: [defaultStore],
    }));
    // No `tls` section at all while there is nothing to serve: an empty document says so.
    this.#emit?.({
      provider: this.name,
      documents: [{ value: certificates.length > 0 ? { tls: { certificates } } : {} }],
    });
  }
}

function orderKey(domain: CertificateDomain): string {
  return [...domainNames(domain)].sort().join(',');
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

function notAfterOf(certificate: Pick<StoredCertificate, 'certificate'>): Date | undefined {
  try {
    const date = new Date(new X509Certificate(Buffer.from(certificate.certificate, 'base64')).validTo);
    return Number.isNaN(date.getTime()) ? undefined : date;
  } catch {
    return undefined;
  }
}
