/**
 * `certificatesResolvers.<name>`: Traefik v3's install options of an ACME resolver, with its
 * defaults. What affineur cannot do yet (DNS-01 providers, Tailscale, ACME profiles) is known
 * here and refused by name, never ignored.
 */
import { z } from 'zod';
import { durationSchema } from '../../src/config/duration.js';
import { notSupportedYet } from '../../src/config/unsupported.js';

export const acmeKeyTypes = ['EC256', 'EC384', 'RSA2048', 'RSA4096', 'RSA8192'] as const;
export type AcmeKeyType = (typeof acmeKeyTypes)[number];

/** Let's Encrypt's production directory, Traefik's default `caServer`. */
export const letsEncryptDirectory = 'https://acme-v02.api.letsencrypt.org/directory';

/** `tlsChallenge: {}`, a bare `tlsChallenge:` (YAML null) and `--...tlsChallenge=true` all enable it. */
const tlsChallengeSchema = z
  .union([z.strictObject({ delay: durationSchema.default(0) }), z.null(), z.literal(true)])
  .transform((value) => (value === null || value === true ? { delay: 0 } : value));

const httpChallengeSchema = z.strictObject({
  /** The entryPoint pebble or Let's Encrypt reaches on port 80 (Traefik requires it). */
  entryPoint: z.string().min(1, { message: 'httpChallenge needs the entryPoint that answers on port 80' }),
  /** Wait between presenting the challenge and asking the CA to validate it. */
  delay: durationSchema.default(0),
});

/**
 * DNS-01 needs a DNS provider (Traefik embeds lego's ~150). None is implemented: the section is
 * read, so the refusal can name the provider the user asked for.
 */
const dnsChallengeSchema = z
  .looseObject({ provider: z.string().optional() })
  .nullable()
  .superRefine((value, ctx) => {
    const provider = value?.provider ? `the DNS-01 provider "${value.provider}"` : 'DNS-01 challenges';
    ctx.addIssue({
      code: 'custom',
      message: `${provider} is not supported by affineur yet`,
      params: {
        affineur: 'AFF_ERR_CONFIG_UNSUPPORTED',
        hint: 'Use httpChallenge (entryPoint on port 80) or tlsChallenge (port 443) for this resolver.',
      },
    });
  });

export const acmeSchema = z
  .strictObject({
    email: z.string().optional(),
    caServer: z.url({ message: 'expected the URL of an ACME directory' }).default(letsEncryptDirectory),
    /** The acme.json file, shared by resolvers that name the same file. */
    storage: z.string().min(1).default('acme.json'),
    keyType: z.enum(acmeKeyTypes).default('RSA4096'),
    /** Lifetime of the certificates the CA issues, in hours: it sets when renewal starts. */
    certificatesDuration: z
      .number()
      .int()
      .min(1, { message: 'certificates cannot be managed with a duration under 1 hour' })
      .default(2160),
    preferredChain: z.string().optional(),
    disableCommonName: z.boolean().default(false),
    eab: z
      .strictObject({
        kid: z.string().min(1),
        /** Base64url HMAC key given by the CA. */
        hmacEncoded: z.string().min(1),
      })
      .optional(),
    /** Timeout of one HTTP exchange with the CA. */
    clientTimeout: durationSchema.default(120_000),
    caCertificates: z.array(z.string().min(1)).optional(),
    caSystemCertPool: z.boolean().default(false),
    caServerName: z.string().optional(),
    httpChallenge: httpChallengeSchema.optional(),
    tlsChallenge: tlsChallengeSchema.optional(),
    dnsChallenge: dnsChallengeSchema.optional(),
    profile: notSupportedYet('ACME certificate profiles (acme.profile)'),
    emailAddresses: notSupportedYet('CSR email addresses (acme.emailAddresses)'),
    clientResponseHeaderTimeout: notSupportedYet('acme.clientResponseHeaderTimeout'),
    certificateTimeout: notSupportedYet('acme.certificateTimeout'),
  })
  .refine((acme) => acme.httpChallenge || acme.tlsChallenge || acme.dnsChallenge, {
    message: 'an ACME resolver needs a challenge: set httpChallenge.entryPoint or tlsChallenge',
  });

export const certificatesResolverSchema = z.strictObject({
  acme: acmeSchema.optional(),
  tailscale: notSupportedYet('Tailscale certificate resolvers'),
});

export const certificatesResolversSchema = z.record(z.string(), certificatesResolverSchema);

export type AcmeConfig = z.output<typeof acmeSchema>;
