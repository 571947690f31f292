import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiBaseUrl, readAppSettings } from '../../../bot/app-settings.js';

const pem = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

describe('readAppSettings', () => {
  it('asks for the setup flow when no app is configured', () => {
    expect(readAppSettings({})).toBe('setup');
  });

  it('reads a complete configuration, with one-line and base64 keys', () => {
    const oneLine = pem.replace(/\n/g, '\\n');
    const settings = readAppSettings({ APP_ID: '42', PRIVATE_KEY: oneLine, WEBHOOK_SECRET: 's', PORT: '0' });
    expect(settings).toMatchObject({
      appId: 42,
      port: 0,
      privateKey: pem,
      globalDryRun: false,
      baseUrl: undefined,
    });
    const b64 = readAppSettings({
      APP_ID: '42',
      PRIVATE_KEY: Buffer.from(pem).toString('base64'),
      WEBHOOK_SECRET: 's',
    });
    expect(b64 !== 'setup' && b64.privateKey).toBe(pem);
  });

  it('names what is missing or malformed', () => {
    expect(() => readAppSettings({ APP_ID: '42' })).toThrow(
      /AFF_ERR_BOT_APP_SETTINGS: missing PRIVATE_KEY \(or PRIVATE_KEY_PATH\), WEBHOOK_SECRET/,
    );
    expect(() => readAppSettings({ APP_ID: 'abc', PRIVATE_KEY: pem, WEBHOOK_SECRET: 's' })).toThrow(
      /APP_ID must be a positive integer/,
    );
    expect(() => readAppSettings({ APP_ID: '1', PRIVATE_KEY: 'nope', WEBHOOK_SECRET: 's' })).toThrow(
      /not a PEM private key/,
    );
    expect(() =>
      readAppSettings({ APP_ID: '1', PRIVATE_KEY_PATH: '/nonexistent.pem', WEBHOOK_SECRET: 's' }),
    ).toThrow(/cannot be read/);
  });
});

describe('apiBaseUrl', () => {
  it('prefers GITHUB_API_URL, then Probot’s GHE_HOST/GHE_PROTOCOL, else GitHub.com', () => {
    expect(apiBaseUrl({ GITHUB_API_URL: 'http://127.0.0.1:4000/api/v3/', GHE_HOST: 'x' })).toBe(
      'http://127.0.0.1:4000/api/v3',
    );
    expect(apiBaseUrl({ GHE_HOST: 'git.corp', GHE_PROTOCOL: 'http' })).toBe('http://git.corp/api/v3');
    expect(apiBaseUrl({ GHE_HOST: 'git.corp' })).toBe('https://git.corp/api/v3');
    expect(apiBaseUrl({})).toBeUndefined();
  });
});
