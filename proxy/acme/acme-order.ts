/**
 * One ACME order, start to finish: the order for the names, one challenge per authorization
 * (HTTP-01 first, else TLS-ALPN-01, whichever the resolver answers), the CSR with a new key of
 * the resolver's `keyType`, finalization and the chain (`preferredChain` when the CA offers
 * alternates). Challenge answers are always withdrawn, whatever the outcome.
 */
import * as acme from 'acme-client';
import type { AcmeConfig } from './acme-resolver-schema.js';
import { generateCertificateKey } from './certificate-key.js';
import type { HttpChallengeResponder } from './http-challenge-responder.js';
import type { TlsAlpnChallengeSink } from './tls-alpn-challenge-sink.js';

export interface OrderSettings {
  config: Pick<
    AcmeConfig,
    'keyType' | 'disableCommonName' | 'preferredChain' | 'httpChallenge' | 'tlsChallenge'
  >;
  httpChallenges?: HttpChallengeResponder | undefined;
  tlsAlpnChallenges?: TlsAlpnChallengeSink | undefined;
}

export interface ObtainedCertificate {
  /** The PEM chain, leaf first. */
  certPem: string;
  /** The key as lego stores it (SEC1 or PKCS#1 PEM). */
  keyPem: string;
}

export async function orderCertificate(
  client: acme.Client,
  names: readonly string[],
  settings: OrderSettings,
): Promise<ObtainedCertificate> {
  const { config } = settings;
  const order = await client.createOrder({ identifiers: names.map((value) => ({ type: 'dns', value })) });
  const authorizations = await client.getAuthorizations(order);
  await Promise.all(authorizations.map((authz) => authorize(client, authz, settings)));
  const key = await generateCertificateKey(config.keyType);
  const [, csr] = await acme.crypto.createCsr(
    { ...(config.disableCommonName ? {} : { commonName: names[0] }), altNames: [...names] },
    key.pkcs8Pem,
  );
  const finalized = await client.finalizeOrder(order, csr);
  const certPem = await client.getCertificate(finalized, config.preferredChain);
  return { certPem, keyPem: key.storedPem };
}

async function authorize(
  client: acme.Client,
  authz: acme.Authorization,
  settings: OrderSettings,
): Promise<void> {
  if (authz.status === 'valid') return;
  const { httpChallenge, tlsChallenge } = settings.config;
  const domain = authz.identifier.value;
  const http =
    httpChallenge && settings.httpChallenges ? authz.challenges.find((c) => c.type === 'http-01') : undefined;
  const tls =
    !http && tlsChallenge && settings.tlsAlpnChallenges
      ? authz.challenges.find((c) => (c.type as string) === 'tls-alpn-01')
      : undefined;
  const challenge = http ?? tls;
  if (!challenge) {
    throw new Error(
      `the CA offers no challenge this resolver can answer for ${domain} (offered: ${authz.challenges.map((c) => c.type).join(', ')})`,
    );
  }
  const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
  const token = (challenge as { token: string }).token;
  try {
    if (http) {
      settings.httpChallenges?.present(domain, token, keyAuthorization);
    } else {
      // RFC 8737: a self-signed certificate for the name carrying the acmeIdentifier extension.
      const key = await generateCertificateKey('EC256');
      const [, certificate] = await acme.crypto.createAlpnCertificate(authz, keyAuthorization, key.pkcs8Pem);
      settings.tlsAlpnChallenges?.set(domain, { certPem: certificate.toString(), keyPem: key.pkcs8Pem });
    }
    const delay = http ? (httpChallenge?.delay ?? 0) : (tlsChallenge?.delay ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    await client.completeChallenge(challenge);
    await client.waitForValidStatus(challenge);
  } finally {
    if (http) settings.httpChallenges?.cleanUp(domain, token);
    else settings.tlsAlpnChallenges?.delete(domain);
  }
}
