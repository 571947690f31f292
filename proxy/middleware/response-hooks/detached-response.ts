/**
 * A response object for a request the proxy makes on its own behalf (an error page, one
 * buffered attempt), that a service handler can write to as to any ServerResponse: what it
 * writes goes to a ResponseSink, and the client's response lends it its lifecycle (a client
 * that leaves closes it too; the client's 'drain' is relayed).
 */
import { type IncomingMessage, ServerResponse } from 'node:http';
import { captureResponse, type ResponseSink } from './capture-response.js';

export function detachedResponse(
  req: IncomingMessage,
  client: ServerResponse,
  sink: ResponseSink,
): ServerResponse {
  const res = new ServerResponse(req);
  captureResponse(res, sink);
  const onClose = () => res.emit('close');
  const onDrain = () => res.emit('drain');
  client.once('close', onClose);
  client.on('drain', onDrain);
  res.destroy = (error?: Error) => {
    client.off('drain', onDrain);
    client.destroy(error);
    return res;
  };
  return res;
}

/** The same request, as a bodiless GET (for error pages): headers stay, the body does not. */
export function bodilessGet(req: IncomingMessage): IncomingMessage {
  const copy = Object.create(req) as IncomingMessage;
  const raw: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const lower = (req.rawHeaders[i] as string).toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding') continue;
    raw.push(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const headers = { ...req.headers };
  delete headers['content-length'];
  delete headers['transfer-encoding'];
  Object.defineProperty(copy, 'method', { value: 'GET', writable: true });
  Object.defineProperty(copy, 'rawHeaders', { value: raw, writable: true });
  Object.defineProperty(copy, 'headers', { value: headers, writable: true });
  return copy;
}
