import { z } from 'zod';

/**
 * A key Traefik has and affineur does not implement yet. The schema knows it, so the user gets
 * "not supported yet" instead of "unknown key" or, worse, a silent ignore. Leaving the key out
 * is fine: zod runs refinements on missing keys too, hence the `undefined` check and
 * `.optional()`.
 */
export function notSupportedYet(feature: string) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      ctx.addIssue({
        code: 'custom',
        message: `${feature} is not supported by affineur yet`,
        params: {
          affineur: 'AFF_ERR_CONFIG_UNSUPPORTED',
          hint: 'Remove this section; see the README for what is implemented.',
        },
      });
    })
    .optional()
    .meta({ description: `${feature}: known from Traefik, not supported by affineur yet.` });
}
