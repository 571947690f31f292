// Peer: node-http-proxy with a keep-alive agent (its best configuration).
import { Agent, createServer } from 'node:http';
import httpProxy from 'http-proxy';

const [port, upstream] = [Number(process.argv[2]), process.argv[3]];
const proxy = httpProxy.createProxyServer({
  target: upstream,
  agent: new Agent({ keepAlive: true, maxSockets: 256 }),
  xfwd: true,
});
proxy.on('error', (_error, _req, res) => {
  res.writeHead?.(502);
  res.end();
});
createServer((req, res) => proxy.web(req, res)).listen(port, '127.0.0.1', () => process.send?.('ready'));
