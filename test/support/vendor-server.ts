import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VendorAnswer {
  status?: number;
  headers?: Record<string, string | string[]>;
  body: string;
}

export interface VendorServer {
  /** http://127.0.0.1:<port>, without a trailing slash. */
  url: string;
  /** The path of every request so far (with its query), oldest first. */
  paths: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for a vendor on 127.0.0.1 whose answers a test writes, headers included (Set-Cookie);
 * `undefined` leaves the request hanging until the client gives up or the server closes.
 */
export async function startVendorServer(
  answer: (request: IncomingMessage) => VendorAnswer | undefined,
): Promise<VendorServer> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(req.url ?? '');
      const reply = answer(req);
      if (!reply) return;
      res
        .writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
        .end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
