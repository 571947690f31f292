/**
 * The resolver's ACME account: the one in acme.json when it was registered with this CA (as in
 * Traefik, an account of another CA is replaced), else a new RSA 4096 account registered with
 * the email and, when the CA requires it, External Account Binding.
 */
import * as acme from 'acme-client';
import type { StoredAccount } from './acme-json-store.js';
import type { AcmeConfig } from './acme-resolver-schema.js';
import { accountKeyFromStorage, type generateAccountKey } from './certificate-key.js';

/** lego's key type names, written as `Account.KeyType` (read by Traefik v3.0–3.3). */
const legoKeyTypes: Record<AcmeConfig['keyType'], string> = {
  EC256: 'P256',
  EC384: 'P384',
  RSA2048: '2048',
  RSA4096: '4096',
  RSA8192: '8192',
};

/** Errors the CA gave to a registration, so messages can tell them from order errors. */
const registrationErrors = new WeakSet<object>();

export function isRegistrationError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && registrationErrors.has(error);
}

export interface OpenedAccount {
  client: acme.Client;
  /** Set when a new account was registered: to be written to acme.json. */
  registered?: StoredAccount;
}

export async function openAccount(
  config: Pick<AcmeConfig, 'caServer' | 'email' | 'eab' | 'keyType'>,
  stored: StoredAccount | null,
  newKey: () => ReturnType<typeof generateAccountKey>,
): Promise<OpenedAccount> {
  const common = {
    directoryUrl: config.caServer,
    // Polling of challenge and order status: from 500 ms, doubling up to 10 s.
    backoffAttempts: 12,
    backoffMin: 500,
    backoffMax: 10_000,
    ...(config.eab
      ? { externalAccountBinding: { kid: config.eab.kid, hmacKey: config.eab.hmacEncoded } }
      : {}),
  };
  if (stored?.Registration?.uri && sameHost(stored.Registration.uri, config.caServer)) {
    const accountKey = accountKeyFromStorage(stored.PrivateKey);
    return { client: new acme.Client({ ...common, accountKey, accountUrl: stored.Registration.uri }) };
  }
  const key =
    stored?.PrivateKey && !stored.Registration
      ? { pkcs8Pem: accountKeyFromStorage(stored.PrivateKey), pkcs1DerBase64: stored.PrivateKey }
      : await newKey();
  const client = new acme.Client({ ...common, accountKey: key.pkcs8Pem });
  const body = await client
    .createAccount({
      termsOfServiceAgreed: true,
      ...(config.email ? { contact: [`mailto:${config.email}`] } : {}),
    })
    .catch((error: unknown) => {
      // acme-client turns network errors into TypeErrors; anything else is the CA's answer.
      if (error instanceof Error && !(error instanceof TypeError)) registrationErrors.add(error);
      throw error;
    });
  return {
    client,
    registered: {
      Email: config.email ?? '',
      Registration: { body: body as unknown as Record<string, unknown>, uri: client.getAccountUrl() },
      PrivateKey: key.pkcs1DerBase64,
      KeyType: legoKeyTypes[config.keyType],
    },
  };
}

function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).hostname === new URL(b).hostname;
  } catch {
    return false;
  }
}
