/**
 * A real HTTP server on 127.0.0.1 for connector tests that need what nock cannot give (resets, slow or
 * endless bodies, gzip, refused ports), and a connector to it whose sleeps are recorded and resolve at
 * once. Servers and connectors made here are closed by {@link closeLocalServers} (call it in afterEach).
 */
import * as http from "http";
import { AddressInfo } from "net";
import { MambuConfig } from "../../lib/config";
import { MambuConnector } from "../../lib/transport";

/** What the server saw of one request. */
export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  remotePort: number | undefined;
}

/** How the server handles the n-th request (0-based), once its body is read: answer, or misbehave with the raw objects. */
export type Handler = (n: number, req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** A running local server. */
export interface LocalServer {
  url: string;
  port: number;
  /** Every request received, in order. */
  seen: Seen[];
  /** How many requests it received. */
  readonly hits: number;
  close(): Promise<void>;
}

const servers: LocalServer[] = [];
const connectors: MambuConnector[] = [];

/** Starts a server on a free port of 127.0.0.1. */
export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const n = seen.length;
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, remotePort: req.socket.remotePort });
      handler(n, req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const s: LocalServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    get hits() {
      return seen.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(s);
  return s;
}

/** A port of 127.0.0.1 that refuses connections (a server was there and is closed). */
export async function closedPort(): Promise<number> {
  const s = await startLocalServer(() => undefined);
  await s.close();
  servers.splice(servers.indexOf(s), 1);
  return s.port;
}

/**
 * A connector to `apiurl` over a hermetic config (`env`, no rc files), user demo; its sleeps are
 * recorded in `sleeps` and resolve at once; jitter fixed at 0 (factor 0.5).
 */
export function sleepyConnector(apiurl: string, extra: ConstructorParameters<typeof MambuConnector>[0] = {}, env: NodeJS.ProcessEnv = {}) {
  const sleeps: number[] = [];
  const config = new MambuConfig({ env, rcFiles: [], warn: () => undefined });
  const c = new MambuConnector({
    config,
    apiurl,
    apiuser: "demo",
    apipwd: "demo-password",
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0,
    ...extra,
  });
  connectors.push(c);
  return { c, sleeps };
}

/** Closes every connector and server made here since the last call. */
export async function closeLocalServers(): Promise<void> {
  for (const c of connectors.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
}
