/**
 * The mirroring service: every request goes to the main service, and a percentage of them is
 * also copied to each mirror, whose answers are thrown away. To copy a body it must be read
 * first, up to `maxBodySize` (-1: no limit); a larger body is not mirrored, and the main
 * service still gets all of it.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { MirroringConfig } from '../config/dynamic-schema.js';
import type { RequestContext } from '../middleware/handler.js';
import type { Service } from './service.js';

interface Mirror {
  service: Service;
  percent: number;
  sent: number;
}

export function createMirroringService(
  name: string,
  config: MirroringConfig,
  main: Service,
  mirrorServices: readonly Service[],
): Service {
  const mirrors: Mirror[] = mirrorServices.map((service, i) => ({
    service,
    percent: config.mirrors[i]?.percent ?? 0,
    sent: 0,
  }));
  let total = 0;
  /** Spreads copies evenly: a mirror at 10% gets exactly one request in ten. */
  const due = (): Mirror[] => {
    total++;
    const chosen: Mirror[] = [];
    for (const mirror of mirrors) {
      if (mirror.sent * 100 < total * mirror.percent) {
        mirror.sent++;
        chosen.push(mirror);
      }
    }
    return chosen;
  };
  const send = (targets: Mirror[], req: IncomingMessage, ctx: RequestContext, body: Buffer | null) => {
    for (const mirror of targets) mirror.service.mirror(req, ctx, body);
  };

  return {
    name,
    handle(req, res, ctx) {
      const targets = due();
      const hasBody =
        req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
      if (targets.length === 0 || ctx.upgradeHead !== undefined) {
        main.handle(req, res, ctx);
        return;
      }
      if (!hasBody || !config.mirrorBody) {
        send(targets, req, ctx, null);
        main.handle(req, res, ctx);
        return;
      }
      readUpTo(req, config.maxBodySize).then(
        ({ chunks, complete }) => {
          if (complete) {
            const body = Buffer.concat(chunks);
            send(targets, req, ctx, body);
            ctx.body = body;
          } else {
            // Too large to mirror: the main service gets what was read, then the rest.
            ctx.body = Readable.from(concatStreams(chunks, req));
          }
          main.handle(req, res, ctx);
        },
        () => res.destroy(),
      );
    },
    healthy: () => main.healthy(),
    onHealthChange: (listener) => main.onHealthChange(listener),
    mirror(req, ctx, body) {
      main.mirror(req, ctx, body);
    },
    close() {},
  };
}

function readUpTo(req: IncomingMessage, limit: number): Promise<{ chunks: Buffer[]; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (limit >= 0 && size > limit) {
        cleanup();
        req.pause();
        resolve({ chunks, complete: false });
      }
    };
    const onEnd = () => {
      cleanup();
      resolve({ chunks, complete: true });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

async function* concatStreams(head: Buffer[], rest: IncomingMessage): AsyncGenerator<Buffer> {
  yield* head;
  for await (const chunk of rest) yield chunk as Buffer;
}
