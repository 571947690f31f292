/**
 * Traefik's digestAuth: users from `htdigest` lines (`name:realm:md5`), a `Digest` challenge with
 * a fresh signed nonce on 401, `stale=true` when a genuine nonce has expired (the browser retries
 * without asking the user again), and `headerField` / `removeHeader` as in basicAuth.
 */
import { z } from 'zod';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import { readUserLines } from '../basic-auth/read-user-lines.js';
import type { Handler } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { sendPlain } from '../plain-response.js';
import { removeRequestHeader, setRequestHeader } from '../request-headers/edit-request-headers.js';
import {
  DigestNonces,
  digestChallenge,
  parseDigestAuthorization,
  parseHtdigest,
  verifyDigest,
} from './digest-credentials.js';

export const digestAuthOptionsSchema = z.strictObject({
  users: z.array(z.string()).default([]),
  usersFile: z.string().optional(),
  realm: z.string().default('traefik'),
  headerField: z.string().default(''),
  removeHeader: z.boolean().default(false),
});

export const digestAuthMiddleware: MiddlewareFactory = (_context, next, rawOptions, name) => {
  const options = readMiddlewareOptions(digestAuthOptionsSchema, rawOptions, name, 'digestAuth');
  const keyPath = `http.middlewares.${name}.digestAuth`;
  const realm = options.realm === '' ? 'traefik' : options.realm;
  const users = parseHtdigest(readUserLines(options.users, options.usersFile, keyPath), `${keyPath}.users`);
  if (users.length === 0) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', 'digestAuth has no users.', {
      keyPath: `${keyPath}.users`,
      hint: 'List users as "name:realm:md5" (htdigest -c FILE REALM USER) in users or in a usersFile.',
    });
  }
  if (!users.some((user) => user.realm === realm)) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', `no digestAuth user belongs to the realm "${realm}".`, {
      keyPath: `${keyPath}.realm`,
      hint: 'The realm is part of each htdigest entry (name:realm:md5); set realm to match them.',
    });
  }
  const nonces = new DigestNonces();

  const handler: Handler = (req, res, ctx) => {
    const params = parseDigestAuthorization(req.headers.authorization);
    const verdict = params
      ? verifyDigest(params, { method: req.method ?? 'GET', uri: req.url ?? '/' }, users, realm, nonces)
      : { ok: false as const, stale: false };
    if (!verdict.ok) {
      sendPlain(res, 401, '401 Unauthorized\n', {
        'www-authenticate': digestChallenge(realm, nonces.issue(), verdict.stale),
      });
      return;
    }
    ctx.clientUsername = verdict.user;
    if (options.headerField !== '') setRequestHeader(req, options.headerField, verdict.user);
    if (options.removeHeader) removeRequestHeader(req, 'authorization');
    next(req, res, ctx);
  };
  return handler;
};
