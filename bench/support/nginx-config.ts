/**
 * The nginx every proxy benchmark compares against: one worker, no access log, temp files in
 * its own directory, and a kept-alive upstream pool, proxying as the Node peers do. Only the
 * `listen` line and what goes with it (TLS) differ between benchmarks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `nginx.conf` into `dir` and returns its path. */
export function writeNginxConfig(dir: string, upstreamPort: number, serverLines: readonly string[]): string {
  const file = join(dir, 'nginx.conf');
  writeFileSync(
    file,
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log error;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream app { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
${serverLines.map((line) => `    ${line}`).join('\n')}
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
  );
  return file;
}
