/**
 * The file provider renders each dynamic file as a Go template before reading it, as Traefik
 * does; a template that fails keeps the last good routing and names file:line:column. And the
 * single-file setup: routing sections in the install file are refused unless its own file
 * provider reads it.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileProvider } from '../../../proxy/provider/file-provider.js';
import { loadProxyInstallConfig } from '../../../proxy/proxy-command.js';
import { nodeGet, startTestProxy, startUpstream, type TestProxy, type Upstream } from './support/harness.js';

describe('Go templates in file-provider files', () => {
  let proxy: TestProxy;
  let upstreams: Upstream[];

  beforeAll(async () => {
    upstreams = await Promise.all(
      [0, 1, 2].map((i) =>
        startUpstream((_req, res) => {
          res.end(`backend ${i}`);
        }),
      ),
    );
    proxy = await startTestProxy();
  });
  afterAll(async () => {
    await proxy.close();
    for (const upstream of upstreams) await upstream.close();
  });

  /** Writes raw text (not YAML from an object: the template is the point) and waits until applied. */
  function writeText(file: string, text: string) {
    const applied = new Promise((resolve) => proxy.proxy.onApplied(resolve));
    writeFileSync(join(proxy.dir, `.${file}`), text);
    renameSync(join(proxy.dir, `.${file}`), join(proxy.dir, file));
    return applied;
  }

  it('renders env, range over until, printf and conditionals before the YAML is read', async () => {
    process.env.AFFINEUR_TEMPLATE_HOST = 'templated.example';
    const ports = upstreams.map((u) => u.port);
    await writeText(
      'dynamic.yml',
      `{{- $ports := list ${ports.join(' ')} -}}
http:
  routers:
    main:
      rule: Host(\`{{ env "AFFINEUR_TEMPLATE_HOST" }}\`)
      service: app
{{- range $i, $e := until 3 }}
    r{{ $i }}:
      rule: Path(\`/backend/{{ $i }}\`)
      service: backend{{ $i }}
{{- end }}
  services:
    app:
      loadBalancer:
        servers:
{{- range $ports }}
          - url: {{ printf "http://127.0.0.1:%d" . }}
{{- end }}
{{- range $i, $port := $ports }}
    backend{{ $i }}:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:{{ $port }}
{{- end }}
`,
    );
    const runtime = proxy.proxy.runtime();
    expect(runtime?.routers.get('main@file')?.status).toBe('enabled');
    expect((await nodeGet(`${proxy.url()}/`, { host: 'templated.example' })).status).toBe(200);
    for (const i of [0, 1, 2])
      expect((await nodeGet(`${proxy.url()}/backend/${i}`)).body).toBe(`backend ${i}`);
  });

  it('keeps the last good routing when a template fails, and logs file:line:column', async () => {
    const logged = proxy.waitForLog(/AFF_ERR_PROXY_TEMPLATE/);
    writeFileSync(
      join(proxy.dir, 'dynamic.yml'),
      'http:\n  routers:\n    main:\n      rule: Host(`{{ nope "x" }}`)\n      service: app\n',
    );
    const line = await logged;
    expect(line).toContain(
      `${join(proxy.dir, 'dynamic.yml')}:4:22: template: function \\"nope\\" not defined`,
    );
    expect(line).toContain('the last good configuration stays in service');
    expect((await nodeGet(`${proxy.url()}/backend/1`)).body).toBe('backend 1');
  });
});

describe('debugLogGeneratedTemplate', () => {
  it('logs the template and what it rendered, at debug level', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'affineur-template-'));
    const file = join(dir, 'dynamic.yml');
    writeFileSync(file, 'http:\n  routers: {{ "{}" }}\n');
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      }),
    );
    const provider = new FileProvider({ filename: file, watch: false, debugLogGeneratedTemplate: true });
    const [document] = await provider.read(logger);
    rmSync(dir, { recursive: true, force: true });
    expect(document?.value).toEqual({ http: { routers: {} } });
    const entry = JSON.parse(lines.find((l) => l.includes('rendered')) ?? '{}');
    expect(entry.template).toBe('http:\n  routers: {{ "{}" }}\n');
    expect(entry.rendered).toBe('http:\n  routers: {}\n');
  });
});

describe('routing sections in the install file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'affineur-install-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are refused, with the line and the fix, when the file provider reads another file', async () => {
    const file = join(dir, 'affineur.yml');
    writeFileSync(
      file,
      'entryPoints:\n  web:\n    address: ":0"\nproviders:\n  file:\n    directory: ./dynamic\nhttp:\n  routers: {}\n',
    );
    await expect(loadProxyInstallConfig([`--configFile=${file}`], { env: {}, cwd: dir })).rejects.toThrow(
      `AFF_ERR_CONFIG_UNKNOWN_KEY: ${file}:7: http: "http" is routing (dynamic) configuration`,
    );
  });

  it('are set aside by the loader when providers.file.filename is the file itself (relative too)', async () => {
    const file = join(dir, 'single.toml');
    writeFileSync(
      file,
      '[entryPoints.web]\naddress = ":0"\n[providers.file]\nfilename = "single.toml"\n[http.routers.r]\nrule = "Path(`/`)"\nservice = "s"\n',
    );
    const loaded = await loadProxyInstallConfig([`--configFile=${file}`], { env: {}, cwd: dir });
    expect(loaded.config.providers.file?.filename).toBe('single.toml');
    // And the file provider reads only those sections of it.
    const provider = new FileProvider({ filename: file, watch: false, installFile: file });
    const [document] = await provider.read();
    expect(document?.value).toEqual({ http: { routers: { r: { rule: 'Path(`/`)', service: 's' } } } });
  });
});
