/**
 * passTLSClientCert: passes the client's TLS certificate to the service, as Traefik does:
 * X-Forwarded-Tls-Client-Cert carries the PEM body (no header lines, no line breaks, URL
 * escaped), X-Forwarded-Tls-Client-Cert-Info the chosen fields
 * (`Subject="...";Issuer="...";SerialNumber="...";NB="...";NA="...";SAN="..."`, URL escaped).
 * Both headers are always removed from the client's request first, so they cannot be forged
 * over plain HTTP or by a client without a certificate.
 */
import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { addForwardedHeader, removeRequestHeader } from '../request-headers/edit-request-headers.js';

const distinguishedName = {
  country: z.boolean().default(false),
  province: z.boolean().default(false),
  locality: z.boolean().default(false),
  organization: z.boolean().default(false),
  commonName: z.boolean().default(false),
  serialNumber: z.boolean().default(false),
  domainComponent: z.boolean().default(false),
};

export const passTlsClientCertSchema = z.strictObject({
  pem: z.boolean().default(false),
  info: z
    .strictObject({
      notAfter: z.boolean().default(false),
      notBefore: z.boolean().default(false),
      sans: z.boolean().default(false),
      serialNumber: z.boolean().default(false),
      subject: z
        .strictObject({ ...distinguishedName, organizationalUnit: z.boolean().default(false) })
        .optional(),
      issuer: z.strictObject(distinguishedName).optional(),
    })
    .optional(),
});

type Options = z.output<typeof passTlsClientCertSchema>;
type NameOptions = Partial<Record<keyof typeof distinguishedName | 'organizationalUnit', boolean>>;

export const passTLSClientCert: MiddlewareFactory = (_context, next, config, name) => {
  const options = readMiddlewareOptions(passTlsClientCertSchema, config, name, 'passTLSClientCert');
  return (req, res, ctx) => {
    removeRequestHeader(req, 'x-forwarded-tls-client-cert');
    removeRequestHeader(req, 'x-forwarded-tls-client-cert-info');
    const certificate = peerCertificate(req);
    if (certificate) {
      // Marked as the proxy's own, so the forwarder keeps them even for an untrusted peer.
      if (options.pem) addForwardedHeader(req, ctx, 'X-Forwarded-Tls-Client-Cert', pemHeader(certificate));
      if (options.info) {
        const info = infoHeader(certificate, options.info);
        if (info !== '') addForwardedHeader(req, ctx, 'X-Forwarded-Tls-Client-Cert-Info', info);
      }
    }
    next(req, res, ctx);
  };
};

function peerCertificate(req: IncomingMessage): X509Certificate | undefined {
  const socket = req.socket as {
    encrypted?: boolean;
    getPeerX509Certificate?: () => X509Certificate | undefined;
  };
  if (socket?.encrypted !== true || typeof socket.getPeerX509Certificate !== 'function') return undefined;
  return socket.getPeerX509Certificate() ?? undefined;
}

function pemHeader(certificate: X509Certificate): string {
  return encodeURIComponent(certificate.raw.toString('base64'));
}

function infoHeader(certificate: X509Certificate, info: NonNullable<Options['info']>): string {
  const parts: string[] = [];
  if (info.subject) parts.push(`Subject="${distinguished(certificate.subject, info.subject, true)}"`);
  if (info.issuer) parts.push(`Issuer="${distinguished(certificate.issuer, info.issuer, false)}"`);
  if (info.serialNumber) parts.push(`SerialNumber="${BigInt(`0x${certificate.serialNumber}`).toString(10)}"`);
  if (info.notBefore) parts.push(`NB="${Math.floor(Date.parse(certificate.validFrom) / 1000)}"`);
  if (info.notAfter) parts.push(`NA="${Math.floor(Date.parse(certificate.validTo) / 1000)}"`);
  if (info.sans) {
    const sans = (certificate.subjectAltName ?? '')
      .split(', ')
      .map((entry) => entry.replace(/^(DNS|email|IP Address|URI):/, ''))
      .filter((v) => v !== '');
    if (sans.length > 0) parts.push(`SAN="${sans.join(',')}"`);
  }
  // Go's url.QueryEscape: spaces as +.
  return encodeURIComponent(parts.join(';')).replace(/%20/g, '+');
}

/** Traefik's order: DC, C, ST, L, O, OU, SN, CN, each attribute value in certificate order. */
function distinguished(name: string, options: NameOptions, subject: boolean): string {
  const values = new Map<string, string[]>();
  for (const line of name.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    values.set(key, [...(values.get(key) ?? []), line.slice(eq + 1)]);
  }
  const out: string[] = [];
  const add = (enabled: boolean | undefined, key: string, label = key) => {
    if (enabled) for (const v of values.get(key) ?? []) out.push(`${label}=${v}`);
  };
  add(options.domainComponent, 'DC');
  add(options.country, 'C');
  add(options.province, 'ST');
  add(options.locality, 'L');
  add(options.organization, 'O');
  if (subject) add(options.organizationalUnit, 'OU');
  add(options.serialNumber, 'serialNumber', 'SN');
  add(options.commonName, 'CN');
  return out.join(',');
}
