/**
 * `providers.docker` as Traefik v3 documents it. `defaultRule` is a Go template; the default is
 * Traefik's. Connection problems are not install errors: the provider retries them.
 */
import { z } from 'zod';
import { durationSchema } from '../../../src/config/duration.js';
import { providerTlsOptionsSchema } from '../provider-tls-options.js';

export const defaultDockerRule = 'Host(`{{ normalize .Name }}`)';

export const dockerProviderSchema = z.strictObject({
  endpoint: z
    .string()
    .regex(/^(unix|tcp|http|https):\/\//, {
      message: 'expected unix:///path/to/docker.sock or tcp://host:port (ssh:// is not supported yet)',
    })
    .default('unix:///var/run/docker.sock'),
  tls: providerTlsOptionsSchema.optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  httpClientTimeout: durationSchema.default(0),
  exposedByDefault: z.boolean().default(true),
  useBindPortIP: z.boolean().default(false),
  network: z.string().optional(),
  defaultRule: z.string().default(defaultDockerRule),
  constraints: z.string().default(''),
  watch: z.boolean().default(true),
  allowEmptyServices: z.boolean().default(false),
});

export type DockerProviderOptions = z.output<typeof dockerProviderSchema>;
