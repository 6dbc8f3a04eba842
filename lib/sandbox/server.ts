/**
 * The socket side of the sandbox: an http (or https) server on a loopback address that reads bodies (up to
 * {@link MAX_BODY_BYTES}), runs them through the {@link SandboxApp} pipeline and writes the answer — applying
 * the injected latency, dropped connections (before or after processing) and slow bodies.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { SandboxApp } from "./app";
import { errorBody, mambuError } from "./errors";

/** Largest request body accepted (50 MiB, Mambu's attachment limit); larger ones answer MAX_FILE_SIZE_EXCEEDED. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** Hosts the sandbox may bind. */
export const LOOPBACK_HOSTS = ["127.0.0.1", "::1", "localhost"];

/** TLS material for https. */
export interface TlsMaterial {
  key: string;
  cert: string;
}

/** A running server. */
export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function readBody(req: http.IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function writeSlow(res: http.ServerResponse, body: Buffer, totalMs: number): Promise<void> {
  const pieces = Math.max(1, Math.min(20, body.length));
  const size = Math.ceil(body.length / pieces);
  for (let i = 0; i < body.length; i += size) {
    if (res.destroyed) return;
    res.write(body.subarray(i, i + size));
    await sleep(totalMs / pieces);
  }
}

/** Starts the server on host:port (0 = a free port). */
export function startServer(app: SandboxApp, host: string, port: number, tls?: TlsMaterial): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void (async () => {
      try {
        const body = await readBody(req);
        if (body === "too-large") {
          const e = mambuError("MAX_FILE_SIZE_EXCEEDED", `request body over ${MAX_BODY_BYTES} bytes`);
          res.writeHead(e.status, { "Content-Type": "application/vnd.mambu.v2+json;charset=UTF-8", Connection: "close" });
          res.end(JSON.stringify(errorBody(e)));
          return;
        }
        const { response, fault } = await app.handle({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body });
        if (fault.latencyMs > 0) await sleep(fault.latencyMs);
        if (fault.drop) {
          req.socket.destroy();
          return;
        }
        const headers: Record<string, string> = { ...(response.headers ?? {}) };
        headers["Content-Length"] = String(response.raw.length);
        res.writeHead(response.status, headers);
        if (req.method === "HEAD") res.end();
        else if (fault.slowBodyMs && response.raw.length) {
          await writeSlow(res, response.raw, fault.slowBodyMs);
          res.end();
        } else res.end(response.raw);
      } catch (e) {
        if (!res.headersSent) {
          const err = mambuError("INTERNAL_ERROR", (e as Error)?.message ?? String(e));
          res.writeHead(500, { "Content-Type": "application/vnd.mambu.v2+json;charset=UTF-8" });
          res.end(JSON.stringify(errorBody(err)));
        } else res.destroy();
      }
    })();
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 5000;
  server.on(tls ? "secureConnection" : "connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const addr = server.address() as AddressInfo;
      resolve({
        port: addr.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
            server.closeAllConnections?.();
          }),
      });
    });
  });
}
