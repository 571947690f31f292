import { notSupportedYet } from '../../src/config/unsupported.js';

/**
 * A Traefik key affineur knows but does not implement: absent is fine, present is a clear
 * AFF_ERR_CONFIG_UNSUPPORTED error. The `.optional()` matters: zod runs a refinement on a
 * missing key too, which would reject every config that simply leaves the key out.
 */
export function unsupportedKey(feature: string) {
  return notSupportedYet(feature).optional();
}
