/**
 * The connection a `mambu` command works with: `mambuconfig` (environment, `~/.mambupy.rc`), or
 * with `--sandbox` an embedded sandbox started in this process (the configuration then points at
 * it, as code overrides, so `mambu config --sandbox` shows where each value came from).
 */
import { mambuconfig } from "../config";
import { MambuConnector } from "../transport";
import type { RetryEvent, TransportLogger } from "../transport";
import { mask } from "./exit";
import type { Sandbox } from "../sandbox";

/** An open connection; `close()` releases sockets and stops the sandbox. */
export interface Session {
  connector: MambuConnector;
  /** The embedded sandbox, with `--sandbox`. */
  sandbox?: Sandbox;
  /** Secrets to mask from any text printed (configured password and API key). */
  secrets(): string[];
  close(): Promise<void>;
}

/** Options of {@link openSession}. */
export interface SessionOptions {
  /** Start an embedded sandbox (demo tenant, free port) and point the configuration at it. */
  sandbox?: boolean;
  /** Where `--debug` request lines go (method, path, status, attempt; never credentials). */
  debugTo?: NodeJS.WritableStream;
  /**
   * Where to say that a request failed and is being retried (one line per retry, so that a
   * refused connection is not ~16 s of silence); none: retries are silent.
   */
  retryTo?: NodeJS.WritableStream;
}

/** The demo tenant's API user of the embedded sandbox. */
export const SANDBOX_USER = "demo";
const SANDBOX_PASSWORD = "demo";

/**
 * Opens the connection of a command. With `sandbox`, the sandbox is started first and
 * `mambuconfig` gets `apiurl`, `apiuser` and `apipwd` overrides pointing at it.
 */
export async function openSession(opts: SessionOptions = {}): Promise<Session> {
  let sandbox: Sandbox | undefined;
  if (opts.sandbox) {
    const { startSandbox } = await import("../sandbox");
    sandbox = await startSandbox({ port: 0 });
    pointConfigAt(sandbox.url);
  }
  const logger: TransportLogger | undefined = opts.debugTo
    ? {
        debug: (msg) => void opts.debugTo!.write(`debug: ${msg}\n`),
        // the retry line of `retryTo` says it already
        warn: opts.retryTo ? undefined : (msg) => void opts.debugTo!.write(`debug: ${msg}\n`),
      }
    : undefined;
  const secrets = (): string[] => [mambuconfig.apipwd, mambuconfig.apikey].filter((s): s is string => !!s);
  const onRetry = opts.retryTo
    ? (e: RetryEvent): void => void opts.retryTo!.write(`${mask(retryLine(e), secrets())}\n`)
    : undefined;
  const connector = new MambuConnector({ logger, onRetry });
  let closed = false;
  return {
    connector,
    sandbox,
    secrets,
    close: async () => {
      if (closed) return;
      closed = true;
      connector.close();
      MambuConnector.default().close();
      if (sandbox) {
        await sandbox.stop();
        for (const k of ["apiurl", "apiuser", "apipwd", "apikey"]) mambuconfig.unset(k);
      }
    },
  };
}

/**
 * The stderr line for a retry: `mambu: GET /api/clients failed (ECONNREFUSED: ...); retrying in
 * 0.5 s (attempt 2 of 6)`.
 */
export function retryLine(e: RetryEvent): string {
  const secs = Math.round(e.delayMs / 100) / 10;
  return `mambu: ${e.method} ${e.url} failed (${e.reason}); retrying in ${secs} s (attempt ${e.attempt + 1} of ${e.attempts})`;
}

/** Points `mambuconfig` at a sandbox URL with the demo tenant's user (code overrides; the API key is dropped). */
export function pointConfigAt(url: string): void {
  mambuconfig.apiurl = url;
  mambuconfig.apiuser = SANDBOX_USER;
  mambuconfig.apipwd = SANDBOX_PASSWORD;
  // An API key from the environment or an rc file would win over user/password: silence it.
  if (mambuconfig.apikey) mambuconfig.set("apikey", "");
}
