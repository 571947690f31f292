import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trailerFrame } from '../../../../../proxy/middleware/grpc-web/grpc-web.js';
import { startTestProxy, startUpstream, type TestProxy, type Upstream } from '../../support/harness.js';

/** One length-prefixed gRPC message frame. */
function frame(payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

describe('grpcWeb through the real proxy (a gRPC server that accepts HTTP/1.1)', () => {
  let upstream: Upstream;
  let proxy: TestProxy;
  const seen: { type: string | undefined; te: string | string[] | undefined; body: Buffer }[] = [];

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        seen.push({ type: req.headers['content-type'], te: req.headers.te, body });
        res.writeHead(200, {
          'content-type': 'application/grpc+proto',
          trailer: 'grpc-status, grpc-message',
        });
        res.write(frame(Buffer.from(`echo:${body.subarray(5).toString()}`)));
        res.addTrailers({ 'grpc-status': '0', 'grpc-message': 'OK' });
        res.end();
      });
    });
    proxy = await startTestProxy();
    await proxy.write('dynamic.yml', {
      http: {
        services: { grpc: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        middlewares: { 'test-grpc-web': { grpcWeb: { allowOrigins: ['https://app.example'] } } },
        routers: { grpc: { rule: 'PathPrefix(`/`)', service: 'grpc', middlewares: ['test-grpc-web'] } },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  const expected = Buffer.concat([
    frame(Buffer.from('echo:hello')),
    trailerFrame({ 'grpc-status': '0', 'grpc-message': 'OK' }),
  ]);

  it('turns a gRPC-Web call into gRPC and the trailers into the final frame', async () => {
    const response = await fetch(`${proxy.url()}/pkg.Service/Method`, {
      method: 'POST',
      headers: {
        'content-type': 'application/grpc-web+proto',
        origin: 'https://app.example',
        'x-grpc-web': '1',
      },
      body: frame(Buffer.from('hello')),
    });
    expect(response.headers.get('content-type')).toBe('application/grpc-web+proto');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response.headers.get('access-control-expose-headers')).toContain('grpc-status');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(expected);
    expect(seen.at(-1)?.type).toBe('application/grpc+proto');
    expect(seen.at(-1)?.te).toBe('trailers');
  });

  it('decodes and encodes the base64 -text variant', async () => {
    const response = await fetch(`${proxy.url()}/pkg.Service/Method`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web-text' },
      body: frame(Buffer.from('hello')).toString('base64'),
    });
    expect(response.headers.get('content-type')).toBe('application/grpc-web-text+proto');
    expect(Buffer.from(await response.text(), 'base64')).toEqual(expected);
    expect(seen.at(-1)?.body).toEqual(frame(Buffer.from('hello')));
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${proxy.url()}/pkg.Service/Method`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-grpc-web',
        },
      });
    const ok = await preflight('https://app.example');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-headers')).toBe('x-grpc-web');
    expect((await preflight('https://evil.example')).status).toBe(403);
  });
});
