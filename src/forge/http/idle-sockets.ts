/**
 * Closes idle keep-alive connections without dropping a request that is already on its way.
 *
 * Node's HTTP server destroys a kept-alive socket once `keepAliveTimeout` has passed with no new
 * request. The event loop runs due timers before it reads sockets, so when the process was busy
 * past that deadline (a loaded machine, or a test compiling schemas in the process that hosts
 * the forge) the timer fires although the client's next request already sits in the socket's
 * receive buffer. Destroying the socket then discards that request, and the kernel answers the
 * client with a reset: `ECONNRESET` on a GET the forge never saw (nodejs/node#43456). The client
 * did nothing wrong: by its own clock, and the `Keep-Alive: timeout` hint, the connection was
 * still open when it reused it.
 *
 * A `timeout` listener on the server makes Node leave the decision to us. We look again after
 * the loop's next pass over the sockets, and close the connection only if nothing arrived on it.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export function closeIdleSocketsSafely(server: Server): void {
  // Requests being answered on each socket: pipelined requests can overlap on one socket.
  const inFlight = new WeakMap<Socket, number>();
  server.on('request', (req, res) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1));
  });
  server.on('timeout', (socket: Socket) => {
    if ((inFlight.get(socket) ?? 0) > 0) {
      // An inactivity timeout in the middle of an exchange: what Node does without a listener.
      socket.destroy();
      return;
    }
    const bytesRead = socket.bytesRead;
    // setImmediate runs after the poll phase of this loop turn, which reads whatever the client
    // sent while the timer was overdue. Any byte read means a request has started: the server
    // clears its keep-alive timer once the headers are in, and a stalled partial request times
    // out again (reads re-arm the inactivity timer, and `headersTimeout` bounds it).
    setImmediate(() => {
      if (socket.destroyed || socket.bytesRead !== bytesRead || (inFlight.get(socket) ?? 0) > 0) return;
      socket.destroy();
    });
  });
}
