/**
 * Traefik's `acme.json`, read and written in Traefik's own format so a file moves between
 * Traefik and affineur both ways: one entry per resolver, each with its `Account` and its
 * `Certificates`. Go's JSON encodes byte slices as standard base64, hence the base64 of the PEM
 * (certificates, keys) and of the DER (account key). Several resolvers may share one file, so
 * one store is kept per file and writes are serialised.
 */
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { AffineurError } from '../../src/errors/affineur-error.js';

/** `types.Domain`: the certificate's main name and its other names. */
export interface CertificateDomain {
  main: string;
  sans?: string[];
}

/** lego's `acme.Account` as the CA returned it, plus the account URL. */
export interface AcmeRegistration {
  body: Record<string, unknown>;
  uri: string;
}

export interface StoredAccount {
  Email: string;
  Registration: AcmeRegistration | null;
  /** Base64 of the PKCS#1 DER of an RSA key, as Traefik writes it. */
  PrivateKey: string;
  /** Written by Traefik v3.0–3.3 (lego's key type name); kept for those versions. */
  KeyType?: string;
}

export interface StoredCertificate {
  domain: CertificateDomain;
  /** Base64 of the PEM chain. */
  certificate: string;
  /** Base64 of the PEM private key. */
  key: string;
  Store: string;
}

export interface StoredResolver {
  Account: StoredAccount | null;
  Certificates: StoredCertificate[] | null;
}

const stores = new Map<string, AcmeJsonStore>();

/** The one store of a file: resolvers naming the same `storage` share it. */
export function acmeJsonStore(filename: string): AcmeJsonStore {
  let store = stores.get(filename);
  if (!store) {
    store = new AcmeJsonStore(filename);
    stores.set(filename, store);
  }
  return store;
}

export class AcmeJsonStore {
  readonly filename: string;
  #data: Record<string, StoredResolver> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(filename: string) {
    this.filename = filename;
  }

  /** The resolver's entry; throws AFF_ERR_ACME_STORAGE when the file is unreadable or malformed. */
  get(resolver: string): StoredResolver {
    this.#data ??= readAcmeJson(this.filename);
    return this.#data[resolver] ?? { Account: null, Certificates: null };
  }

  /** Replaces the resolver's entry and writes the whole file (mode 0600). */
  save(resolver: string, entry: StoredResolver): Promise<void> {
    this.#data ??= readAcmeJson(this.filename);
    this.#data[resolver] = entry;
    const text = `${JSON.stringify(this.#data, null, 2)}\n`;
    // Writes are chained so an older snapshot never lands after a newer one; a failed write
    // is reported to its caller and does not stop the next one.
    this.#writing = this.#writing.catch(() => {}).then(() => writeAtomically(this.filename, text));
    return this.#writing;
  }

  /** Forgets what was read, so the next `get` reads the file again (a restart, in tests). */
  reset(): void {
    this.#data = undefined;
  }
}

function readAcmeJson(filename: string): Record<string, StoredResolver> {
  let text: string;
  try {
    const stat = statSync(filename);
    // The file holds private keys: Traefik refuses it when others can read it, and so do we.
    if ((stat.mode & 0o077) !== 0) {
      throw new AffineurError(
        'AFF_ERR_ACME_STORAGE',
        `permissions ${(stat.mode & 0o777).toString(8)} are too open for a file holding private keys.`,
        { file: filename, hint: `Run \`chmod 600 ${filename}\`.` },
      );
    }
    text = readFileSync(filename, 'utf8');
  } catch (error) {
    if (error instanceof AffineurError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AffineurError(
      'AFF_ERR_ACME_STORAGE',
      `the ACME storage file cannot be read: ${String(error)}.`,
      {
        file: filename,
        hint: 'Check the path in certificatesResolvers.<name>.acme.storage and its permissions.',
        cause: error,
      },
    );
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AffineurError(
      'AFF_ERR_ACME_STORAGE',
      `the ACME storage file is not valid JSON: ${String(error)}.`,
      {
        file: filename,
        hint: 'Restore it from a backup, or delete it to order the certificates again.',
        cause: error,
      },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AffineurError(
      'AFF_ERR_ACME_STORAGE',
      'the ACME storage file is not an object of resolvers ({"<resolver>": {"Account": ..., "Certificates": [...]}}).',
      { file: filename, hint: 'Restore it from a backup, or delete it to order the certificates again.' },
    );
  }
  const data = parsed as Record<string, StoredResolver>;
  for (const [name, entry] of Object.entries(data)) {
    // As Traefik does, certificates without a certificate or a key are dropped on read.
    const certificates = (entry?.Certificates ?? []).filter((c) => c?.certificate && c.key && c.domain?.main);
    data[name] = { Account: entry?.Account ?? null, Certificates: certificates };
  }
  return data;
}

function writeAtomically(filename: string, text: string): void {
  const temporary = `${filename}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, filename);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
