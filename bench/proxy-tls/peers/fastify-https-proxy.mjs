// Peer: @fastify/http-proxy (undici underneath) on fastify behind Node's https server.
import { readFileSync } from 'node:fs';
import proxy from '@fastify/http-proxy';
import Fastify from 'fastify';

const [port, upstream, certFile, keyFile] = process.argv.slice(2);
const app = Fastify({ logger: false, https: { cert: readFileSync(certFile), key: readFileSync(keyFile) } });
// @fastify/reply-from copies the upstream's `Connection: keep-alive` to HTTP/1.1 clients (it strips
// hop-by-hop headers only towards HTTP/2), which overrides a client's `Connection: close`: wrk then
// sends a second request on the connection, which the server closes, so half of wrk's "requests"
// were read errors and the handshake benchmark counted two requests per TLS handshake. Dropping
// the hop-by-hop headers, as a proxy must (RFC 9110 7.6.1), gives one handshake per request.
const hopByHop = (headers) => {
  const { connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return rest;
};
await app.register(proxy, { upstream, http: false, replyOptions: { rewriteHeaders: hopByHop } });
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.send?.('ready');
