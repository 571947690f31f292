import { describe, expect, it } from 'vitest';
import { parseEnvVars } from '../../../../src/config/env-vars.js';
import { parseDottedFlags } from '../../../../src/config/flags.js';
import { normalizeToSchema } from '../../../../src/config/normalize.js';
import { AffineurError } from '../../../../src/errors/affineur-error.js';
import { traefikLikeSchema } from './traefik-like-schema.js';

const fromFlags = (args: string[]) =>
  normalizeToSchema(parseDottedFlags(args, traefikLikeSchema).values, traefikLikeSchema, {
    coerceStrings: true,
  });

describe('Traefik-style dotted flags', () => {
  it('builds nested config from --a.b.c=value', () => {
    expect(fromFlags(['--entryPoints.web.address=:8080', '--providers.file.watch=true'])).toEqual({
      entryPoints: { web: { address: ':8080' } },
      providers: { file: { watch: true } },
    });
  });

  it('treats a bare boolean flag as true and does not swallow the next flag', () => {
    expect(fromFlags(['--api.insecure', '--entryPoints.web.address=:80'])).toEqual({
      api: { insecure: true },
      entryPoints: { web: { address: ':80' } },
    });
  });

  it('takes the next argument as the value of a non-boolean flag', () => {
    expect(fromFlags(['--entryPoints.web.address', ':9000'])).toEqual({
      entryPoints: { web: { address: ':9000' } },
    });
  });

  it('matches keys case-insensitively, as Traefik does, and keeps map names as given', () => {
    expect(fromFlags(['--entrypoints.WebSecure.address=:443', '--API.Dashboard=false'])).toEqual({
      entryPoints: { WebSecure: { address: ':443' } },
      api: { dashboard: false },
    });
  });

  it('splits comma-separated lists and coerces numbers', () => {
    expect(
      fromFlags([
        '--entryPoints.web.forwardedHeaders.trustedIPs=127.0.0.1/32, 10.0.0.0/8',
        '--entryPoints.web.transport.keepAliveMaxRequests=100',
      ]),
    ).toEqual({
      entryPoints: {
        web: {
          forwardedHeaders: { trustedIPs: ['127.0.0.1/32', '10.0.0.0/8'] },
          transport: { keepAliveMaxRequests: 100 },
        },
      },
    });
  });

  it('enables a section with a bare flag', () => {
    expect(fromFlags(['--providers.file'])).toEqual({ providers: { file: {} } });
  });

  it('supports [N] list indexes in paths', () => {
    expect(parseDottedFlags(['--a.list[1].b=x'], traefikLikeSchema).values).toEqual({
      a: { list: [undefined, { b: 'x' }] },
    });
  });

  it('refuses arguments that are not flags', () => {
    expect(() => parseDottedFlags(['web'], traefikLikeSchema)).toThrow(AffineurError);
    expect(() => parseDottedFlags(['--a..b=1'], traefikLikeSchema)).toThrow(/not a valid dotted key path/);
  });
});

describe('environment variables', () => {
  it('reads AFFINEUR_ variables into config with canonical keys', () => {
    const env = {
      AFFINEUR_ENTRYPOINTS_WEB_ADDRESS: ':8080',
      AFFINEUR_API_INSECURE: 'true',
      AFFINEUR_PROVIDERS_PROVIDERSTHROTTLEDURATION: '5s',
      PATH: '/usr/bin',
    };
    const parsed = parseEnvVars(env, 'AFFINEUR_');
    expect(parsed.given.sort()).toEqual(
      Object.keys(env)
        .filter((k) => k.startsWith('AFFINEUR_'))
        .sort(),
    );
    expect(normalizeToSchema(parsed.values, traefikLikeSchema, { coerceStrings: true })).toEqual({
      entryPoints: { web: { address: ':8080' } },
      api: { insecure: true },
      providers: { providersThrottleDuration: '5s' },
    });
  });

  it('ignores the config-file variable, which selects a source rather than a value', () => {
    expect(parseEnvVars({ AFFINEUR_CONFIGFILE: 'x.yml' }, 'AFFINEUR_').given).toEqual([]);
  });
});
