/**
 * Install options that several Traefik providers share, one schema each, so that Docker, Swarm,
 * the KV stores and HTTP spell and check them the same way. Defaults are Traefik's.
 */
import { z } from 'zod';
import { durationSchema } from '../../src/config/duration.js';
import { goBuiltins } from '../template/go-builtins.js';
import { sprigFunctions } from '../template/sprig-functions.js';
import { parseTemplate } from '../template/template-parser.js';

/** `exposedByDefault`: objects without `traefik.enable=true` are routed too. */
export const exposedByDefaultSchema = z.boolean().default(true);

const templateFunctions = new Set([...Object.keys(sprigFunctions), ...Object.keys(goBuiltins)]);

/**
 * `defaultRule`: a Go template rendered per container or service (see renderTemplate). It is
 * parsed here, at start, so a typo names the key instead of disabling every router later.
 */
export const defaultRuleSchema = z
  .string()
  .superRefine((source, ctx) => {
    try {
      parseTemplate(source, 'defaultRule', templateFunctions);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a valid Go template: ${(error as Error).message}` });
    }
  })
  .default('Host(`{{ normalize .Name }}`)');

/** `constraints`: Traefik's label expression (`Label(...) && !LabelRegex(...)`); parsed by the provider. */
export const constraintsSchema = z.string().optional();

/** `watch`: follow changes live rather than reading once. */
export const watchSchema = z.boolean().default(true);

/** `pollInterval`, `refreshSeconds`: how often a polling provider reads its backend again. */
export function pollIntervalSchema(defaultMs: number) {
  return durationSchema
    .refine((ms) => ms > 0, { message: 'expected a duration above zero' })
    .default(defaultMs);
}

/** `endpoints`: a list, or one string with commas as flags and env vars give it. */
export const endpointsSchema = z
  .union([z.array(z.string().min(1)).min(1), z.string().min(1)])
  .transform((value) => (Array.isArray(value) ? value : value.split(',').map((part) => part.trim())));
