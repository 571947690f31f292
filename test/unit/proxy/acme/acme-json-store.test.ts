import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AcmeJsonStore } from '../../../../proxy/acme/acme-json-store.js';

const dir = () => mkdtempSync(join(tmpdir(), 'affineur-acme-store-'));

/** An acme.json as Traefik v3.0 writes it (Go's encoding/json, []byte as base64, KeyType). */
const traefikFile = {
  le: {
    Account: {
      Email: 'ops@example.com',
      Registration: {
        body: { status: 'valid', contact: ['mailto:ops@example.com'] },
        uri: 'https://acme-v02.api.letsencrypt.org/acme/acct/123',
      },
      PrivateKey: 'MIIJKQIBAAKCAgEA',
      KeyType: '4096',
    },
    Certificates: [
      {
        domain: { main: 'example.com', sans: ['www.example.com'] },
        certificate: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString(
          'base64',
        ),
        key: Buffer.from('-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n').toString(
          'base64',
        ),
        Store: 'default',
      },
      { domain: { main: 'empty.example.com' }, certificate: '', key: '', Store: 'default' },
    ],
  },
  other: { Account: null, Certificates: null },
};

describe("acme.json in Traefik's format", () => {
  it("reads a Traefik file, dropping empty certificates as Traefik does, and keeps other resolvers' entries", async () => {
    const path = join(dir(), 'acme.json');
    writeFileSync(path, JSON.stringify(traefikFile), { mode: 0o600 });
    const store = new AcmeJsonStore(path);
    const le = store.get('le');
    expect(le.Account?.Registration?.uri).toBe('https://acme-v02.api.letsencrypt.org/acme/acct/123');
    expect(le.Certificates?.map((c) => c.domain.main)).toEqual(['example.com']);
    expect(store.get('missing')).toEqual({ Account: null, Certificates: null });
    await store.save('new', { Account: null, Certificates: [] });
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(Object.keys(written).sort()).toEqual(['le', 'new', 'other']);
    expect(written.le.Account).toEqual(traefikFile.le.Account);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('creates a missing file with mode 0600 and treats an empty one as empty', async () => {
    const path = join(dir(), 'acme.json');
    const store = new AcmeJsonStore(path);
    expect(store.get('le')).toEqual({ Account: null, Certificates: null });
    await store.save('le', { Account: null, Certificates: [] });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const empty = join(dir(), 'empty.json');
    writeFileSync(empty, '', { mode: 0o600 });
    expect(new AcmeJsonStore(empty).get('le').Certificates).toBeNull();
  });

  it('refuses a file others can read, and a malformed one, naming the file and the fix', () => {
    const open = join(dir(), 'acme.json');
    writeFileSync(open, '{}');
    chmodSync(open, 0o644);
    expect(() => new AcmeJsonStore(open).get('le')).toThrow(
      new RegExp(`AFF_ERR_ACME_STORAGE: ${open}: permissions 644 are too open.*chmod 600`),
    );
    const broken = join(dir(), 'acme.json');
    writeFileSync(broken, '{"le": ', { mode: 0o600 });
    expect(() => new AcmeJsonStore(broken).get('le')).toThrow(
      /AFF_ERR_ACME_STORAGE: .*acme\.json: .*not valid JSON/,
    );
    const array = join(dir(), 'acme.json');
    writeFileSync(array, '[]', { mode: 0o600 });
    expect(() => new AcmeJsonStore(array).get('le')).toThrow(/not an object of resolvers/);
  });

  it('reports a failed write, and a failed write does not stop the next', async () => {
    const path = join(dir(), 'acme.json');
    const store = new AcmeJsonStore(path);
    store.get('le');
    // A directory in the file's place: the rename fails, for root too.
    mkdirSync(join(path, 'in-the-way'), { recursive: true });
    await expect(store.save('le', { Account: null, Certificates: [] })).rejects.toThrow(
      /EISDIR|ENOTEMPTY|EEXIST/,
    );
    rmSync(path, { recursive: true });
    const certificate = { domain: { main: 'a.test' }, certificate: 'Yw==', key: 'aw==', Store: 'default' };
    await store.save('le', { Account: null, Certificates: [certificate] });
    expect(JSON.parse(readFileSync(path, 'utf8')).le.Certificates).toEqual([certificate]);
  });
});
