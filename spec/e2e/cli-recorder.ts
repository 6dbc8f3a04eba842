/**
 * A recording proxy for the CLI's end-to-end tests: the `mambu` child talks to it, it forwards
 * every request to the sandbox unchanged and keeps what was sent (method, path, body text), so a
 * test can assert exactly what went over the wire — and that nothing did.
 */
import { createServer, request, Server } from "node:http";
import { AddressInfo } from "node:net";

/** One request the proxy forwarded. */
export interface Recorded {
  method: string;
  /** The path with its query, e.g. `/api/loans/54321`. */
  path: string;
  /** The body as text ("" when none). */
  body: string;
}

/** A running recorder. */
export interface Recorder {
  /** Its URL (give it as MAMBU_API_URL). */
  url: string;
  /** What was forwarded, in order. */
  requests: Recorded[];
  /** The writes (POST, PUT, PATCH, DELETE) forwarded. */
  writes(): Recorded[];
  close(): Promise<void>;
}

/** Starts a recorder in front of `target` (the sandbox's URL). */
export async function startRecorder(target: string): Promise<Recorder> {
  const t = new URL(target);
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? "", path: req.url ?? "", body: body.toString("utf8") });
      const headers = { ...req.headers, host: t.host };
      const fwd = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      fwd.on("error", (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      fwd.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    writes: () => requests.filter((r) => r.method !== "GET"),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
