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
    'A configuration feature that Traefik has is known but not supported by affineur yet.',
  AFF_ERR_CONFIG_DURATION: 'A duration is neither a Go-style duration string nor a number of seconds.',
  AFF_ERR_SERVICE_UNAVAILABLE:
    'A real service needed by tests (Redis, etcd, pebble) could not be found or started.',
  AFF_ERR_RULE_SYNTAX:
    'A router rule is not well-formed: a bad token, an unclosed string or parenthesis, or a missing operand.',
  AFF_ERR_RULE_INVALID:
    'A router rule is well-formed but uses an unknown matcher, the wrong number of values, or a bad value.',
  AFF_ERR_BOT_CONFIG_EXTENDS:
    'The `_extends` of a .github/affineur.yml is malformed, loops, or points at a missing file.',
  AFF_ERR_BOT_APP_SETTINGS: 'The GitHub App settings of `affineur bot` (env vars) are missing or invalid.',
  AFF_ERR_BOT_AREA_RULE_REGEX:
    'An area rule of .github/affineur.yml has a pattern that is not an RE2 regular expression.',
  AFF_ERR_RELEASE_CODENAME_UNKNOWN: 'A requested release codename is not a cheese of the curated list.',
  AFF_ERR_RELEASE_CODENAME_USED: 'A requested release codename already names another release line.',
  AFF_ERR_RELEASE_CODENAMES_EXHAUSTED: 'Every cheese of the curated list already names a release line.',
  AFF_ERR_RELEASE_CODENAMES_FILE: 'The release/codenames.json record of a repository is malformed.',
  AFF_ERR_RELEASE_NOTHING_TO_RELEASE: 'No change since the last release calls for a new version.',
  AFF_ERR_RELEASE_BAD_BUMP: 'The requested version bump does not fit the branch or the last release.',
  AFF_ERR_RELEASE_BAD_TAG: 'A tag or version given to the release tooling is not a valid vX.Y.Z version.',
  AFF_ERR_RELEASE_TAG_CONFLICT: 'A release tag already exists and points at another commit.',
  AFF_ERR_RELEASE_NOT_PREPARED: 'There is no prepared release to publish.',
  AFF_ERR_RELEASE_GIT: 'A git command run by the release tooling failed.',
  AFF_ERR_RELEASE_FORGE: 'A request to the GitHub-compatible API made by the release tooling failed.',
  AFF_ERR_FORGE_STATE: 'The sandbox forge could not read its state file from the data directory.',
  AFF_ERR_FORGE_GIT: 'A git command run by the sandbox forge failed.',
  AFF_ERR_FORGE_START:
    'The sandbox forge could not start (port in use, data directory not writable, git missing).',
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
    'A middleware type that Traefik has is not supported by affineur yet.',
  AFF_ERR_PROXY_LISTEN: 'An entryPoint could not listen on its address.',
  AFF_ERR_RELEASE_PACKAGE_JSON: 'The package.json whose version a release updates is malformed.',
  AFF_ERR_PROXY_PLUGIN_LOAD:
    'A local plugin (experimental.localPlugins) could not be found or imported, or exports no New function.',
  AFF_ERR_PROXY_PLUGIN_UNKNOWN:
    'A plugin middleware or providers.plugin names a plugin that experimental.localPlugins does not declare.',
  AFF_ERR_PROXY_PLUGIN_KIND:
    'A plugin is used as a middleware but offers none, or under providers.plugin but offers no provider.',
  AFF_ERR_PROXY_PLUGIN_FAILED:
    'A local plugin threw or rejected while building, serving or providing; its requests answered 500, or its provider kept its last configuration.',
  AFF_ERR_ACME_STORAGE:
    'The ACME storage file (acme.json) cannot be read or written, is malformed, or is readable by others.',
  AFF_ERR_ACME_TRUST:
    'A caCertificates entry of an ACME resolver cannot be read or holds no PEM certificate.',
  AFF_ERR_ACME_CA_UNREACHABLE:
    'An ACME resolver cannot reach its CA (caServer): refused, timed out or untrusted.',
  AFF_ERR_ACME_ORDER_FAILED:
    'An ACME order failed: the CA refused it or a challenge was not validated; the resolver retries it.',
  AFF_ERR_PROXY_MIDDLEWARE_CYCLE: 'A chain middleware contains itself, directly or through other chains.',
  AFF_ERR_PROXY_TEMPLATE:
    'A Go template in a dynamic configuration file does not parse or fails to render; the provider kept its last good configuration.',
  AFF_ERR_PROXY_PROVIDER_UNREACHABLE:
    'A provider lost its backend (an HTTP endpoint, etcd, Redis, the Docker Engine) or got an unreadable answer; it keeps its last good configuration and reconnects.',
  AFF_ERR_PROVIDER_FLAT_KEY:
    'A Docker label or KV key does not map onto the routing configuration, or its value has the wrong type.',
  AFF_ERR_PROVIDER_CONSTRAINT:
    'A provider constraints expression (Label, LabelRegex, &&, ||, !) does not parse.',
  AFF_ERR_PROXY_TLS_CERTIFICATE:
    'A TLS certificate or key cannot be used: unreadable, not PEM, not matching its key, or expired.',
  AFF_ERR_PROXY_TLS_OPTIONS:
    'TLS options (or a servers transport TLS setting) name a version, cipher suite or curve that is unknown, or refer to options that do not exist.',
} as const;

export type ErrorCode = keyof typeof errorCatalog;
