/**
 * HTTP-01: the key authorizations pebble or Let's Encrypt fetch from
 * `http://<domain>/.well-known/acme-challenge/<token>`. One responder serves every resolver,
 * routed as Traefik routes it (`acme-http@internal`, highest priority, on each
 * `httpChallenge.entryPoint`). An answer is given only for the token AND the host it was
 * issued for, so a token cannot be read through another name.
 */
import type { Handler } from '../middleware/handler.js';
import { hostWithoutPort } from '../rules/host-name.js';

export const acmeChallengePathPrefix = '/.well-known/acme-challenge/';

export class HttpChallengeResponder {
  /** token -> domain -> key authorization */
  readonly #challenges = new Map<string, Map<string, string>>();

  present(domain: string, token: string, keyAuthorization: string): void {
    let byDomain = this.#challenges.get(token);
    if (!byDomain) {
      byDomain = new Map();
      this.#challenges.set(token, byDomain);
    }
    byDomain.set(domain.toLowerCase(), keyAuthorization);
  }

  cleanUp(domain: string, token: string): void {
    const byDomain = this.#challenges.get(token);
    byDomain?.delete(domain.toLowerCase());
    if (byDomain?.size === 0) this.#challenges.delete(token);
  }

  readonly handler: Handler = (req, res) => {
    const token = /^\/\.well-known\/acme-challenge\/([^/]+)\/?$/.exec(req.url?.split('?')[0] ?? '')?.[1];
    const host = hostWithoutPort(req.headers.host ?? '').toLowerCase();
    const answer = token === undefined ? undefined : this.#challenges.get(token)?.get(host);
    if (answer === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  };
}
