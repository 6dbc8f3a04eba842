/**
 * Listening for Mambu's database backup callback: a small HTTP server on a local port that waits for Mambu's POST
 * (`{"tenantId","result","domain","fileName"}`) on a path with a random token (`/mambu-backup/<32 hex>`), so that
 * nobody who does not know the URL given to Mambu can pretend the backup is ready. Anything else is answered 404;
 * a body larger than {@link MAX_CALLBACK_BODY} is refused. The URL given to Mambu is `publicUrl` (what Mambu can
 * reach: a public host or a tunnel mapped to this port) followed by the token path, or `http://host:port/...`.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { MambuTsError } from "../errors";
import { BackupFailedError } from "./backup-errors";

/** Where to listen for Mambu's callback. */
export interface BackupCallbackOptions {
  /** Local port to listen on (0: a free port, chosen by the system). */
  port: number;
  /** Local address to listen on (default `127.0.0.1`; `0.0.0.0` to be reachable from outside, with `publicUrl`). */
  host?: string;
  /**
   * The http(s) URL Mambu can reach that leads to this port (e.g. `https://hooks.example.com/mambu`); the token path
   * is added to it. Default `http://<host>:<port>` (only reachable by a Mambu on the same network: a sandbox).
   */
  publicUrl?: string;
}

/** Largest callback body read, in bytes. */
export const MAX_CALLBACK_BODY = 16 * 1024;

/** What the callback said. */
export interface BackupCallbackPayload {
  result: string;
  fileName?: string;
  tenantId?: string;
}

/** A running listener. */
export interface BackupCallbackListener {
  /** The URL to give Mambu as `callback`. */
  readonly url: string;
  /** Resolves with the first callback for this URL (rejects with BackupFailedError when its result is not COMPLETE). */
  readonly received: Promise<BackupCallbackPayload>;
  /** Whether a request reached the token path already (for the timeout's last status). */
  readonly hits: () => number;
  /** Stops listening. */
  close(): Promise<void>;
}

function checkOptions(o: BackupCallbackOptions): { port: number; host: string; publicUrl?: URL } {
  if (o === null || typeof o !== "object") throw new MambuTsError("callback must be { port, host?, publicUrl? }");
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new MambuTsError(`callback.port must be an integer from 0 to 65535, got ${String(o.port)}`);
  const host = o.host ?? "127.0.0.1";
  if (typeof host !== "string" || host === "" || /[\s/]/.test(host)) throw new MambuTsError(`callback.host must be a host name or address, got ${JSON.stringify(host)}`);
  let publicUrl: URL | undefined;
  if (o.publicUrl !== undefined) {
    try {
      publicUrl = new URL(o.publicUrl);
    } catch {
      throw new MambuTsError(`callback.publicUrl must be an http(s) URL, got ${JSON.stringify(String(o.publicUrl).slice(0, 100))}`);
    }
    if (publicUrl.protocol !== "http:" && publicUrl.protocol !== "https:") throw new MambuTsError("callback.publicUrl must be an http(s) URL");
    if (publicUrl.username || publicUrl.password) throw new MambuTsError("callback.publicUrl must not hold credentials");
    if (publicUrl.search || publicUrl.hash) throw new MambuTsError("callback.publicUrl must not have a query or fragment");
  } else if (host === "0.0.0.0" || host === "::") {
    throw new MambuTsError(`callback.publicUrl is needed when listening on ${host}: give the URL Mambu can reach`);
  }
  return { port: o.port, host, publicUrl };
}

/**
 * Starts listening for the callback.
 * @throws MambuTsError for invalid options or when the port cannot be listened on (in use, not allowed).
 */
export async function listenForBackupCallback(opts: BackupCallbackOptions): Promise<BackupCallbackListener> {
  const { port, host, publicUrl } = checkOptions(opts);
  const token = randomBytes(16).toString("hex");
  const tokenPath = `/mambu-backup/${token}`;
  let hits = 0;
  let resolve!: (p: BackupCallbackPayload) => void;
  let reject!: (e: Error) => void;
  const received = new Promise<BackupCallbackPayload>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  received.catch(() => undefined); // observed by the caller; never an unhandled rejection
  let settled = false;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    if (req.method !== "POST" || !path.endsWith(tokenPath)) {
      res.writeHead(404).end();
      req.resume();
      return;
    }
    hits++;
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_CALLBACK_BODY) {
        if (!refused) res.writeHead(413, { Connection: "close" }).end();
        refused = true;
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (refused) return;
      let payload: BackupCallbackPayload = { result: "COMPLETE" };
      try {
        const body = Buffer.concat(chunks).toString("utf8").trim();
        const parsed: unknown = body ? JSON.parse(body) : {};
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
          const p = parsed as Record<string, unknown>;
          payload = {
            result: typeof p.result === "string" ? p.result : "COMPLETE",
            ...(typeof p.fileName === "string" ? { fileName: p.fileName } : {}),
            ...(typeof p.tenantId === "string" ? { tenantId: p.tenantId } : {}),
          };
        }
      } catch {
        // Mambu's body is documented as JSON; a body we cannot read still says "the backup is done"
      }
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
      if (settled) return;
      settled = true;
      if (payload.result.toUpperCase() === "COMPLETE") resolve(payload);
      else reject(new BackupFailedError(payload.result));
    });
    req.on("error", () => undefined);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((res, rej) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      rej(new MambuTsError(`cannot listen for Mambu's callback on ${host}:${port}: ${e.code ?? e.message}`)),
    );
    server.listen(port, host, () => res());
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const base = publicUrl ? publicUrl.href.replace(/\/+$/, "") : `http://${shownHost}:${actual}`;
  return {
    url: `${base}${tokenPath}`,
    received,
    hits: () => hits,
    close: () =>
      new Promise<void>((res) => {
        server.close(() => res());
        server.closeAllConnections?.();
      }),
  };
}
