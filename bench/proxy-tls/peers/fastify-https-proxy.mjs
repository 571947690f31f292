// Peer: @fastify/http-proxy (undici underneath) on fastify behind Node's https server.
import { readFileSync } from 'node:fs';
import proxy from '@fastify/http-proxy';
import Fastify from 'fastify';

const [port, upstream, certFile, keyFile] = process.argv.slice(2);
const app = Fastify({ logger: false, https: { cert: readFileSync(certFile), key: readFileSync(keyFile) } });
await app.register(proxy, { upstream, http: false });
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.send?.('ready');
