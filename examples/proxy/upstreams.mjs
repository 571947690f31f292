// Two tiny upstreams for the demo, on :9001 and :9002: they answer who they are and what they got.
import { createServer } from 'node:http';

for (const port of [9001, 9002]) {
  createServer((req, res) => {
    if (req.url === '/health') return res.end('ok');
    res.setHeader('content-type', 'text/plain');
    res.end(
      `server ${port}\n${req.method} ${req.url}\n${Object.entries(req.headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}\n`,
    );
  }).listen(port, '127.0.0.1', () => console.log(`upstream on :${port}`));
}
