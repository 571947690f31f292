/**
 * The one catalog of affineur error codes. Codes are stable: tools and users grep for them,
 * so a code is never renamed or reused. Every code here is documented in docs/errors.md
 * (a test keeps the two in step).
 */
export const errorCatalog = {
  AFF_ERR_CLI_UNKNOWN_COMMAND: 'The command given to the affineur CLI does not exist.',
  AFF_ERR_CLI_BAD_ARGUMENT: 'A command-line argument is malformed or missing its value.',
  AFF_ERR_CONFIG_READ: 'A configuration file could not be read from disk.',
  AFF_ERR_CONFIG_PARSE: 'A configuration file is not valid YAML, TOML or JSON.',
  AFF_ERR_CONFIG_FORMAT: 'A configuration file has an extension that is not .yml, .yaml, .toml or .json.',
  AFF_ERR_CONFIG_UNKNOWN_KEY: 'A configuration key is not part of the schema.',
  AFF_ERR_CONFIG_INVALID: 'A configuration value does not match what the schema expects.',
  AFF_ERR_CONFIG_UNSUPPORTED:
    'A configuration feature that Traefik has is known but not implemented by affineur yet.',
  AFF_ERR_CONFIG_DURATION: 'A duration is neither a Go-style duration string nor a number of seconds.',
  AFF_ERR_SERVICE_UNAVAILABLE:
    'A real service needed by tests (Redis, etcd, pebble) could not be found or started.',
  AFF_ERR_RULE_SYNTAX:
    'A router rule is not well-formed: a bad token, an unclosed string or parenthesis, or a missing operand.',
  AFF_ERR_RULE_INVALID:
    'A router rule is well-formed but uses an unknown matcher, the wrong number of values, or a bad value.',
  AFF_ERR_PROXY_DUPLICATE_OBJECT:
    'A router, service, middleware or servers transport is defined twice by one provider.',
  AFF_ERR_PROXY_NAME_HAS_AT:
    'An object name in routing configuration contains "@", which separates name from provider.',
  AFF_ERR_PROXY_UNKNOWN_REFERENCE:
    'A router or service refers to an entryPoint, service, middleware or transport that does not exist.',
  AFF_ERR_PROXY_DISABLED_REFERENCE:
    'A router or service refers to an object that is itself disabled by an error.',
  AFF_ERR_PROXY_SERVICE_CYCLE: 'Services refer to each other in a loop (weighted, mirroring or failover).',
  AFF_ERR_PROXY_MIDDLEWARE_UNSUPPORTED:
    'A middleware type that Traefik has is not implemented by affineur yet.',
  AFF_ERR_PROXY_LISTEN: 'An entryPoint could not listen on its address.',
} as const;

export type ErrorCode = keyof typeof errorCatalog;
