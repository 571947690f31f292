/** `providers.etcd` and `providers.redis` as Traefik v3 documents them. */
import { z } from 'zod';
import { notSupportedYet } from '../../../src/config/unsupported.js';
import { providerTlsOptionsSchema } from '../provider-tls-options.js';

const rootKeySchema = z
  .string()
  .regex(/^[^/].*[^/]$|^[^/]$/, {
    message: 'expected a key prefix without leading or trailing "/", such as traefik',
  })
  .default('traefik');

export const etcdProviderSchema = z.strictObject({
  endpoints: z.array(z.string().min(1)).min(1).default(['127.0.0.1:2379']),
  rootKey: rootKeySchema,
  username: z.string().optional(),
  password: z.string().optional(),
  tls: providerTlsOptionsSchema.optional(),
});

export const redisProviderSchema = z.strictObject({
  endpoints: z.array(z.string().min(1)).min(1).default(['127.0.0.1:6379']),
  rootKey: rootKeySchema,
  username: z.string().optional(),
  password: z.string().optional(),
  db: z.number().int().nonnegative().default(0),
  tls: providerTlsOptionsSchema.optional(),
  sentinel: z
    .strictObject({
      masterName: z.string().min(1),
      username: z.string().optional(),
      password: z.string().optional(),
      latencyStrategy: notSupportedYet('redis sentinel.latencyStrategy'),
      randomStrategy: notSupportedYet('redis sentinel.randomStrategy'),
      replicaStrategy: notSupportedYet('redis sentinel.replicaStrategy'),
      useDisconnectedReplicas: notSupportedYet('redis sentinel.useDisconnectedReplicas'),
    })
    .optional(),
});

export type EtcdProviderOptions = z.output<typeof etcdProviderSchema>;
export type RedisProviderOptions = z.output<typeof redisProviderSchema>;
