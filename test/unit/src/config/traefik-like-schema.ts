import { z } from 'zod';
import { durationSchema } from '../../../../src/config/duration.js';
import { notSupportedYet } from '../../../../src/config/unsupported.js';

/** A slice of Traefik's install configuration, enough to exercise every loader path. */
export const traefikLikeSchema = z.strictObject({
  entryPoints: z
    .record(
      z.string(),
      z.strictObject({
        address: z.string(),
        asDefault: z.boolean().optional(),
        forwardedHeaders: z
          .strictObject({ trustedIPs: z.array(z.string()).optional(), insecure: z.boolean().optional() })
          .optional(),
        transport: z
          .strictObject({
            respondingTimeouts: z.strictObject({ readTimeout: durationSchema.optional() }).optional(),
            keepAliveMaxRequests: z.number().int().nonnegative().optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  providers: z
    .strictObject({
      providersThrottleDuration: durationSchema.default(2),
      file: z
        .strictObject({
          filename: z.string().optional(),
          directory: z.string().optional(),
          watch: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
  api: z.strictObject({ insecure: z.boolean().optional(), dashboard: z.boolean().optional() }).optional(),
  log: z.strictObject({ level: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).optional() }).optional(),
  tracing: notSupportedYet('tracing'),
});
