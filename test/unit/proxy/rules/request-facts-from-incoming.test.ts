import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRule } from '../../../../proxy/rules/compile-rule.js';
import type { RequestFacts } from '../../../../proxy/rules/request-facts.js';
import {
  requestFactsFromIncoming,
  splitTarget,
} from '../../../../proxy/rules/request-facts-from-incoming.js';

describe('splitTarget', () => {
  it.each([
    ['/a/b?x=1&y', '/a/b', 'x=1&y'],
    ['/a', '/a', ''],
    ['/a?', '/a', ''],
    ['http://example.com/a?x=1', '/a', 'x=1'],
    ['http://example.com', '/', ''],
    ['http://example.com?x=1', '/', 'x=1'],
    ['*', '*', ''],
  ])('%s', (target, path, query) => {
    expect(splitTarget(target)).toEqual({ path, query });
  });
});

describe('requestFactsFromIncoming, on a real server', () => {
  let server: Server;
  let port: number;
  const seen: RequestFacts[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push(requestFactsFromIncoming(req));
      res.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  async function send(path: string, headers: string[]): Promise<RequestFacts> {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    res.resume();
    await once(res, 'end');
    return seen.at(-1)!;
  }

  it('exposes host, path, method, query, peer address and every header line', async () => {
    // Raw header list (name, value, ...): the header is sent twice, on two lines.
    const facts = await send('/api/items?mobile&q=a+b', [
      'Host',
      'API.Example.com:8080',
      'X-Forwarded-Proto',
      'http',
      'X-Forwarded-Proto',
      'https',
    ]);
    expect(facts.host).toBe('API.Example.com:8080');
    expect(facts.path).toBe('/api/items');
    expect(facts.method).toBe('POST');
    expect(facts.query.get('q')).toBe('a b');
    expect(facts.remoteAddress).toMatch(/127\.0\.0\.1$/);
    const rule = compileRule(
      'Host(`api.example.com`) && Path(`/api/items`) && Method(`POST`) && Query(`mobile`) && ' +
        'Header(`X-Forwarded-Proto`, `https`) && ClientIP(`127.0.0.0/8`)',
    );
    expect(rule.matches(facts)).toBe(true);
  });
});
