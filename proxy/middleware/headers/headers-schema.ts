/** The options of the headers middleware (Traefik v3), with its defaults. */
import { z } from 'zod';

const removedInV3 = (replacement: string) =>
  z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      ctx.addIssue({
        code: 'custom',
        message: `this option was removed in Traefik v3`,
        params: { hint: replacement },
      });
    })
    .optional();

/** A list, or one string (Traefik's file provider reads `accessControlAllowHeaders: "*"` as a list). */
const stringList = z.union([z.array(z.string()), z.string().transform((value) => [value])]).default([]);
const headerMap = z.record(z.string(), z.string()).default({});

export const headersSchema = z.strictObject({
  customRequestHeaders: headerMap,
  customResponseHeaders: headerMap,
  accessControlAllowCredentials: z.boolean().default(false),
  accessControlAllowHeaders: stringList,
  accessControlAllowMethods: stringList,
  accessControlAllowOriginList: stringList,
  accessControlAllowOriginListRegex: stringList,
  accessControlExposeHeaders: stringList,
  accessControlMaxAge: z.number().int().default(0),
  addVaryHeader: z.boolean().default(false),
  allowedHosts: stringList,
  hostsProxyHeaders: stringList,
  sslProxyHeaders: headerMap,
  stsSeconds: z.number().int().nonnegative().default(0),
  stsIncludeSubdomains: z.boolean().default(false),
  stsPreload: z.boolean().default(false),
  forceSTSHeader: z.boolean().default(false),
  frameDeny: z.boolean().default(false),
  customFrameOptionsValue: z.string().default(''),
  contentTypeNosniff: z.boolean().default(false),
  browserXssFilter: z.boolean().default(false),
  customBrowserXSSValue: z.string().default(''),
  contentSecurityPolicy: z.string().default(''),
  contentSecurityPolicyReportOnly: z.string().default(''),
  publicKey: z.string().default(''),
  referrerPolicy: z.string().default(''),
  permissionsPolicy: z.string().default(''),
  isDevelopment: z.boolean().default(false),
  sslRedirect: removedInV3('Use a redirectScheme middleware (scheme: https).'),
  sslTemporaryRedirect: removedInV3('Use a redirectScheme middleware (scheme: https, permanent: false).'),
  sslHost: removedInV3('Use a redirectRegex middleware.'),
  sslForceHost: removedInV3('Use a redirectRegex middleware.'),
  featurePolicy: removedInV3('Use permissionsPolicy.'),
});

export type HeadersOptions = z.output<typeof headersSchema>;
