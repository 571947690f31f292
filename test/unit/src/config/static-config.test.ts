import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStaticConfig } from '../../../../src/config/static-config.js';
import { AffineurError, AffineurErrorList } from '../../../../src/errors/affineur-error.js';
import { traefikLikeSchema } from './traefik-like-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'affineur-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const load = (args: string[], env: Record<string, string> = {}, defaultFiles: string[] = []) =>
  loadStaticConfig({ schema: traefikLikeSchema, args, env, defaultFiles });

async function failure(promise: Promise<unknown>): Promise<AffineurError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AffineurError);
  return error as AffineurError;
}

describe('loading install configuration', () => {
  it('reads YAML, TOML and JSON files chosen by extension', async () => {
    const yaml = file(
      'a.yml',
      'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  providersThrottleDuration: 500ms\n',
    );
    const toml = file(
      'a.toml',
      '[entryPoints.web]\naddress = ":80"\n\n[providers]\nprovidersThrottleDuration = "500ms"\n',
    );
    const json = file(
      'a.json',
      '{"entryPoints": {"web": {"address": ":80"}}, "providers": {"providersThrottleDuration": "500ms"}}',
    );
    for (const path of [yaml, toml, json]) {
      const loaded = await load([`--configFile=${path}`]);
      expect(loaded.source).toEqual({ kind: 'file', file: path });
      expect(loaded.config).toEqual({
        entryPoints: { web: { address: ':80' } },
        providers: { providersThrottleDuration: 500 },
      });
    }
  });

  it('names the file, line, key path and the suggestion for a typo (entrypoints.web.adress)', async () => {
    const path = file('typo.yml', 'entrypoints:\n  web:\n    adress: ":80"\n');
    const error = await failure(load([`--configFile=${path}`]));
    expect(error.code).toBe('AFF_ERR_CONFIG_UNKNOWN_KEY');
    expect(error.message).toBe(
      `AFF_ERR_CONFIG_UNKNOWN_KEY: ${path}:3: entryPoints.web.adress: unknown key "adress". Did you mean "address"?`,
    );
  });

  it('locates errors in TOML and JSON files too', async () => {
    const toml = file('typo.toml', '[log]\nlevel = "INFO"\n\n[entryPoints.web]\nadress = ":80"\n');
    expect((await failure(load([`--configFile=${toml}`]))).line).toBe(5);
    const json = file(
      'typo.json',
      '{\n  "entryPoints": {\n    "web": {\n      "adress": ":80"\n    }\n  }\n}\n',
    );
    expect((await failure(load([`--configFile=${json}`]))).line).toBe(4);
  });

  it('says which key is missing', async () => {
    const path = file('required.yml', 'entryPoints:\n  web:\n    asDefault: true\n');
    const error = await failure(load([`--configFile=${path}`]));
    expect(error.message).toContain(
      'required.yml:2: entryPoints.web.address: this key is required (expected string).',
    );
  });

  it('reports a wrong value with what was found and what was expected', async () => {
    const path = file(
      'bad-value.yml',
      'log:\n  level: LOUD\nproviders:\n  providersThrottleDuration: soon\n',
    );
    const error = await failure(load([`--configFile=${path}`]));
    expect(error).toBeInstanceOf(AffineurErrorList);
    const [level, throttle] = (error as AffineurErrorList).errors;
    expect(level?.message).toMatch(/bad-value\.yml:2: log\.level: .*"TRACE".*found "LOUD"/);
    expect(throttle?.code).toBe('AFF_ERR_CONFIG_DURATION');
    expect(throttle?.message).toContain('providers.providersThrottleDuration');
    expect(throttle?.line).toBe(4);
  });

  it('refuses a known Traefik feature that is not implemented yet, instead of ignoring it', async () => {
    const path = file('tracing.yml', 'tracing:\n  serviceName: x\n');
    const error = await failure(load([`--configFile=${path}`]));
    expect(error.code).toBe('AFF_ERR_CONFIG_UNSUPPORTED');
    expect(error.message).toContain('tracing is not supported by affineur yet');
  });

  it('reports syntax errors with the line', async () => {
    const yaml = file('broken.yml', 'entryPoints:\n  web: address: ":80"\n');
    expect(await failure(load([`--configFile=${yaml}`]))).toMatchObject({
      code: 'AFF_ERR_CONFIG_PARSE',
      line: 2,
    });
    const toml = file('broken.toml', '[entryPoints.web\naddress = 1\n');
    expect(await failure(load([`--configFile=${toml}`]))).toMatchObject({
      code: 'AFF_ERR_CONFIG_PARSE',
      line: 1,
    });
  });

  it('explains a missing file or an unknown extension', async () => {
    expect((await failure(load(['--configFile=/nonexistent/affineur.yml']))).code).toBe(
      'AFF_ERR_CONFIG_READ',
    );
    expect((await failure(load([`--configFile=${file('x.ini', '')}`]))).code).toBe('AFF_ERR_CONFIG_FORMAT');
  });
});

describe('source precedence (exactly one source, as in Traefik)', () => {
  const env = { AFFINEUR_ENTRYPOINTS_WEB_ADDRESS: ':3000' };

  it('uses the file and reports flags and env vars it ignored', async () => {
    const path = file('p.yml', 'entryPoints:\n  web:\n    address: ":1000"\n');
    const loaded = await load([`--configFile=${path}`, '--entryPoints.web.address=:2000'], env);
    expect(loaded.config.entryPoints?.web?.address).toBe(':1000');
    expect(loaded.ignored).toEqual(['--entryPoints.web.address', 'AFFINEUR_ENTRYPOINTS_WEB_ADDRESS']);
  });

  it('finds a default file when none is named', async () => {
    const path = file('default.yml', 'api:\n  dashboard: true\n');
    const loaded = await load([], {}, [join(dir, 'missing.yml'), path]);
    expect(loaded.source).toEqual({ kind: 'file', file: path });
  });

  it('uses flags when there is no file, ignoring env', async () => {
    const loaded = await load(['--entryPoints.web.address=:2000'], env);
    expect(loaded.source.kind).toBe('flags');
    expect(loaded.config.entryPoints?.web?.address).toBe(':2000');
    expect(loaded.ignored).toEqual(['AFFINEUR_ENTRYPOINTS_WEB_ADDRESS']);
  });

  it('uses env vars last, and AFFINEUR_CONFIGFILE selects a file', async () => {
    expect((await load([], env)).config.entryPoints?.web?.address).toBe(':3000');
    const path = file('from-env.yml', 'entryPoints:\n  web:\n    address: ":4000"\n');
    expect((await load([], { AFFINEUR_CONFIGFILE: path })).config.entryPoints?.web?.address).toBe(':4000');
  });

  it('applies schema defaults when no source is given', async () => {
    expect(await load([])).toEqual({ config: {}, source: { kind: 'defaults' }, ignored: [] });
  });

  it('reports errors from flags with the flag source', async () => {
    const error = await failure(load(['--entryPoints.web.adress=:80']));
    expect(error.message).toContain('entryPoints.web.adress (from command-line flags)');
    expect(error.message).toContain('Did you mean "address"?');
  });
});
