// The upstream every proxy forwards to: a keep-alive node:http server answering 13 bytes.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 13 });
  res.end('hello, world\n');
}).listen(port, '127.0.0.1', () => process.send?.('ready'));
