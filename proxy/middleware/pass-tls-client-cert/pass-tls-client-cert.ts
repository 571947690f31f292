/**
 * passTLSClientCert: passes the client's TLS certificate (PEM) and selected fields to the
 * service in X-Forwarded-Tls-Client-Cert and X-Forwarded-Tls-Client-Cert-Info. Entry points
 * do not terminate TLS yet, so there is never a client certificate to pass; what the
 * middleware does today is what protects services: it validates its options and removes
 * those two headers when a client sends them, so they cannot be forged.
 */
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { removeRequestHeader } from '../request-headers/edit-request-headers.js';

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

export const passTLSClientCert: MiddlewareFactory = (_context, next, config, name) => {
  readMiddlewareOptions(passTlsClientCertSchema, config, name, 'passTLSClientCert');
  return (req, res, ctx) => {
    removeRequestHeader(req, 'x-forwarded-tls-client-cert');
    removeRequestHeader(req, 'x-forwarded-tls-client-cert-info');
    next(req, res, ctx);
  };
};
