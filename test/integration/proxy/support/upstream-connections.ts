/**
 * Watches an upstream server's side of its connections, the only honest place to count what a
 * proxy keeps open, and holds responses back to make requests overlap on purpose.
 */
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionCount {
  /** Connections ever accepted. */
  readonly total: number;
  /** Connections not closed yet. */
  readonly open: number;
}

export function countConnections(server: Server): ConnectionCount {
  const open = new Set<Socket>();
  let total = 0;
  server.on('connection', (socket: Socket) => {
    total++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  return {
    get total() {
      return total;
    },
    get open() {
      return open.size;
    },
  };
}

/**
 * A request handler that answers nothing until `count` requests are in flight at once, then
 * answers them all. With a cap on concurrent connections below `count` it never answers.
 */
export function answerWhenInFlight(count: number): {
  handle(res: ServerResponse): void;
  readonly mostInFlight: number;
} {
  let held: ServerResponse[] = [];
  let mostInFlight = 0;
  return {
    handle(res) {
      held.push(res);
      mostInFlight = Math.max(mostInFlight, held.length);
      if (held.length < count) return;
      const release = held;
      held = [];
      for (const response of release) response.end('done');
    },
    get mostInFlight() {
      return mostInFlight;
    },
  };
}

/** Polls until `check` holds, with a generous deadline; never a timing assertion. */
export async function eventually(check: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
