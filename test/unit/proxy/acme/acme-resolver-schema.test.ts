import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticConfigSchema } from '../../../../proxy/config/static-schema.js';
import { loadStaticConfig } from '../../../../src/config/static-config.js';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'affineur-acme-schema-')), 'affineur.yml');
  writeFileSync(path, text);
  return path;
}

const load = (args: string[]) => loadStaticConfig({ schema: staticConfigSchema, args, env: {} });

describe('certificatesResolvers in the install configuration', () => {
  it("reads Traefik's documented resolvers with Traefik's defaults", async () => {
    const path = file(`
entryPoints:
  web:
    address: ":80"
  websecure:
    address: ":443"
certificatesResolvers:
  myresolver:
    acme:
      email: your-email@example.com
      storage: acme.json
      httpChallenge:
        entryPoint: web
  tlsresolver:
    acme:
      email: your-email@example.com
      caServer: https://acme-staging-v02.api.letsencrypt.org/directory
      keyType: EC384
      certificatesDuration: 24
      preferredChain: 'ISRG Root X1'
      eab:
        kid: kid-1
        hmacEncoded: zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W
      tlsChallenge: {}
`);
    const { config } = await load([`--configFile=${path}`]);
    expect(config.certificatesResolvers?.myresolver?.acme).toMatchObject({
      email: 'your-email@example.com',
      caServer: 'https://acme-v02.api.letsencrypt.org/directory',
      storage: 'acme.json',
      keyType: 'RSA4096',
      certificatesDuration: 2160,
      httpChallenge: { entryPoint: 'web', delay: 0 },
    });
    expect(config.certificatesResolvers?.tlsresolver?.acme).toMatchObject({
      keyType: 'EC384',
      certificatesDuration: 24,
      preferredChain: 'ISRG Root X1',
      eab: { kid: 'kid-1' },
      tlsChallenge: { delay: 0 },
    });
  });

  it('takes flags as Traefik documents them', async () => {
    const { config } = await load([
      '--certificatesresolvers.le.acme.email=ops@example.com',
      '--certificatesresolvers.le.acme.tlschallenge=true',
      '--certificatesresolvers.le.acme.caServer=https://ca.test/dir',
    ]);
    expect(config.certificatesResolvers?.le?.acme?.tlsChallenge).toEqual({ delay: 0 });
    expect(config.certificatesResolvers?.le?.acme?.caServer).toBe('https://ca.test/dir');
  });

  it('refuses dnsChallenge clearly, naming the provider', async () => {
    const path = file(
      'certificatesResolvers:\n  le:\n    acme:\n      dnsChallenge:\n        provider: cloudflare\n',
    );
    await expect(load([`--configFile=${path}`])).rejects.toThrow(
      /AFF_ERR_CONFIG_UNSUPPORTED.*certificatesResolvers\.le\.acme\.dnsChallenge.*"cloudflare" is not supported/,
    );
  });

  it('refuses an unknown keyType and a resolver without a challenge, with the key path', async () => {
    const badKey = file(
      'certificatesResolvers:\n  le:\n    acme:\n      keyType: EC521\n      tlsChallenge: {}\n',
    );
    await expect(load([`--configFile=${badKey}`])).rejects.toThrow(
      /certificatesResolvers\.le\.acme\.keyType/,
    );
    const none = file('certificatesResolvers:\n  le:\n    acme:\n      email: a@b.c\n');
    await expect(load([`--configFile=${none}`])).rejects.toThrow(/needs a challenge/);
  });

  it('refuses certificatesDuration under one hour and Tailscale resolvers', async () => {
    const short = file(
      'certificatesResolvers:\n  le:\n    acme:\n      certificatesDuration: 0\n      tlsChallenge: {}\n',
    );
    await expect(load([`--configFile=${short}`])).rejects.toThrow(/under 1 hour/);
    const tailscale = file('certificatesResolvers:\n  ts:\n    tailscale: {}\n');
    await expect(load([`--configFile=${tailscale}`])).rejects.toThrow(/Tailscale.*not supported/);
  });
});
