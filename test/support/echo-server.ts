import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it arrived. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EchoServer {
  /** http://127.0.0.1:<port>, without a trailing slash. */
  url: string;
  /** Every request so far, oldest first; tests may empty it. */
  received: Received[];
  close(): Promise<void>;
}

/**
 * A server on 127.0.0.1 that records every request whole and answers each with the JSON `answer`
 * gives for it, so a test can compare what curl, Newman or the script sent.
 */
export async function startEchoServer(answer: (request: Received) => string): Promise<EchoServer> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(request);
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer(request));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
