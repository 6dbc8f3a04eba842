/**
 * The socket side of the sandbox: an http (or https) server on a loopback address that reads bodies (up to the
 * app's limits: {@link bodyLimit}), runs them through the {@link SandboxApp} pipeline and writes the answer —
 * applying the injected latency, dropped connections (before or after processing) and slow bodies.
 *
 * A body over its limit is read to its end but not kept (memory stays bounded whatever the client sends), then
 * answered 413 MAX_FILE_SIZE_EXCEEDED and the connection closed; it never reaches the pipeline.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { SandboxApp } from "./app";
import { errorBody, mambuError } from "./errors";
import { MAX_UPLOAD_BYTES, ResolvedLimits } from "./limits";

/** Largest request body of any kind (a multipart upload), in bytes; JSON bodies have a smaller limit (limits.ts). */
export const MAX_BODY_BYTES = MAX_UPLOAD_BYTES;

/** The body limit of a request: multipart/form-data uploads get `maxUploadBytes`, anything else `maxJsonBodyBytes`. */
export function bodyLimit(contentType: string | undefined, limits: ResolvedLimits): number {
  return (contentType ?? "").trim().toLowerCase().startsWith("multipart/form-data") ? limits.maxUploadBytes : limits.maxJsonBodyBytes;
}

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

/** The body of a request that has none (never written to: a Buffer of no bytes). */
const NO_BODY = Buffer.alloc(0);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers["content-length"]);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    req.on("data", (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > limit) {
        tooLarge = true;
        chunks = [];
      } else chunks.push(c);
    });
    req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks, size)));
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
        const limit = bodyLimit(req.headers["content-type"], app.limits);
        // a request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3): nothing to wait for
        const body = req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined ? NO_BODY : await readBody(req, limit);
        if (body === "too-large") {
          app.requests++;
          const e = mambuError("MAX_FILE_SIZE_EXCEEDED", `request body over ${limit} bytes`);
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
        const parts = response.rawParts;
        const length = parts ? (response.rawLength as number) : response.raw.length;
        const headers: Record<string, string> = { ...(response.headers ?? {}) };
        headers["Content-Length"] = String(length);
        res.writeHead(response.status, headers);
        if (req.method === "HEAD") res.end();
        else if (fault.slowBodyMs && length) {
          await writeSlow(res, response.raw, fault.slowBodyMs);
          res.end();
        } else if (parts) {
          // the pieces of a large answer, written in one go (corked), without joining them into one buffer first
          res.cork();
          for (const p of parts) res.write(p);
          res.end();
          res.uncork();
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
