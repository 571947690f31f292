/**
 * Traefik's basicAuth: only users of the htpasswd list get through; the others get 401 with a
 * `WWW-Authenticate: Basic realm=...` challenge. `headerField` passes the user's name upstream
 * and `removeHeader` keeps the credentials from reaching the service.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import type { Handler, RequestContext } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { sendPlain } from '../plain-response.js';
import { removeRequestHeader, setRequestHeader } from '../request-headers/edit-request-headers.js';
import { hashKind, parseHtpasswd, verifyHtpasswd } from './htpasswd.js';
import { readUserLines } from './read-user-lines.js';
import { VerifiedCredentials } from './verified-credentials.js';

export const basicAuthOptionsSchema = z.strictObject({
  users: z.array(z.string()).default([]),
  usersFile: z.string().optional(),
  realm: z.string().default('traefik'),
  headerField: z.string().default(''),
  removeHeader: z.boolean().default(false),
});

export type BasicAuthOptions = z.output<typeof basicAuthOptionsSchema>;

/** `Basic base64(user:password)`, or undefined when the header is absent or of another scheme. */
export function parseBasicAuthorization(
  header: string | undefined,
): { user: string; password: string } | undefined {
  if (!header) return undefined;
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export const basicAuthMiddleware: MiddlewareFactory = (context, next, rawOptions, name) => {
  const options = readMiddlewareOptions(basicAuthOptionsSchema, rawOptions, name, 'basicAuth');
  const keyPath = `http.middlewares.${name}.basicAuth`;
  const users = new Map(
    parseHtpasswd(readUserLines(options.users, options.usersFile, keyPath), `${keyPath}.users`).map((u) => [
      u.name,
      u.hash,
    ]),
  );
  if (users.size === 0) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', 'basicAuth has no users.', {
      keyPath: `${keyPath}.users`,
      hint: 'List users as "name:hash" (htpasswd -nbB name password) in users or in a usersFile.',
    });
  }
  // Only the slow hashes are worth remembering; MD5-apr1 and SHA1 are checked every time.
  const verified = [...users.values()].some((hash) => hashKind(hash) === 'bcrypt')
    ? new VerifiedCredentials()
    : undefined;
  const realm = options.realm === '' ? 'traefik' : options.realm;
  const challenge = { 'www-authenticate': `Basic realm="${realm.replaceAll('"', '\\"')}"` };

  const admit = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext, user: string) => {
    ctx.clientUsername = user;
    if (options.headerField !== '') setRequestHeader(req, options.headerField, user);
    if (options.removeHeader) removeRequestHeader(req, 'authorization');
    next(req, res, ctx);
  };

  const handler: Handler = (req, res, ctx) => {
    const credentials = parseBasicAuthorization(req.headers.authorization);
    const hash = credentials && users.get(credentials.user);
    if (!credentials || hash === undefined) {
      sendPlain(res, 401, '401 Unauthorized\n', challenge);
      return;
    }
    const { user, password } = credentials;
    if (verified?.has(user, password, hash)) {
      admit(req, res, ctx, user);
      return;
    }
    verifyHtpasswd(hash, password).then(
      (ok) => {
        if (res.destroyed) return;
        if (!ok) {
          sendPlain(res, 401, '401 Unauthorized\n', challenge);
          return;
        }
        verified?.add(user, password, hash);
        admit(req, res, ctx, user);
      },
      (error: unknown) => {
        context.logger.error({ err: error, middleware: name }, 'basicAuth could not check a password');
        sendPlain(res, 500, 'Internal Server Error');
      },
    );
  };
  return handler;
};
