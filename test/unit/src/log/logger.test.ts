import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactText } from '../../../../src/log/logger.js';

describe('redactText', () => {
  it.each([
    [
      'push failed for https://x-access-token:ghs_abcdefghijklmnopqrstuvwxyz0123@github.com/o/r',
      'x-access-token:[REDACTED]@github.com',
    ],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123 leaked', '[REDACTED] leaked'],
    ['Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig', 'Bearer [REDACTED]'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', '[REDACTED]'],
  ])('removes secrets from %j', (input, expected) => {
    const out = redactText(input);
    expect(out).toContain(expected);
    expect(out).not.toMatch(/ghs_|ghp_|eyJhbGci|MIIE/);
  });

  it('leaves ordinary text alone', () => {
    expect(redactText('merged PR #12 into main')).toBe('merged PR #12 into main');
  });
});

describe('createLogger', () => {
  it('writes JSON lines and never writes a token, in fields or in messages', async () => {
    const destination = new PassThrough();
    const written = new Promise<string>((resolve) =>
      destination.once('data', (chunk) => resolve(String(chunk))),
    );
    const logger = createLogger({ format: 'json', destination, level: 'info' });
    logger.info(
      { token: 'ghs_secretsecretsecretsecret12', headers: { authorization: 'token abc' }, repo: 'o/r' },
      'cloning https://x-access-token:ghs_secretsecretsecretsecret12@forge/o/r',
    );
    const line = JSON.parse(await written) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 30,
      repo: 'o/r',
      token: '[REDACTED]',
      headers: { authorization: '[REDACTED]' },
    });
    expect(line.msg).toBe('cloning https://x-access-token:[REDACTED]@forge/o/r');
    expect(JSON.stringify(line)).not.toContain('secretsecret');
  });
});
