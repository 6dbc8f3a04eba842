/**
 * The embedded Mambu sandbox: a stateful emulator of Mambu's API v2 on a loopback HTTP(S) server.
 *
 * ```ts
 * import { startSandbox } from "mambu-ts/sandbox";
 * const sandbox = await startSandbox();            // demo tenant, free port, http://127.0.0.1:PORT
 * // MAMBU_API_URL=sandbox.url MAMBU_API_USER=demo MAMBU_API_PWD=demo (or header apiKey: demo-api-key)
 * sandbox.clock.advance({ days: 30 });
 * sandbox.faults.set({ rate429: 0.1 });
 * await sandbox.stop();
 * ```
 *
 * Requests go to `<url>/api/...`. See app.ts (pipeline, Accept rules), faults.ts (`X-Sandbox-Fault` header),
 * errors.ts (error codes), seed.ts (seed files) and resources.ts (what each collection supports).
 */
import { SandboxApp } from "./app";
import { DEFAULT_USERS, SandboxUser } from "./auth";
import { SandboxClock } from "./clock";
import { FaultInjector, FaultOptions } from "./faults";
import { checkRowsPerStep } from "./jobs";
import { resolveLimits, SandboxLimits } from "./limits";
import { loadSnapshotFile, saveSnapshot } from "./persist";
import { demoSeedPath, generate, GenerateOptions, loadSeed, readSeedFile, SeedFile } from "./seed";
import { LOOPBACK_HOSTS, startServer } from "./server";
import { SandboxStore, StoreSnapshot } from "./store";
import { makeTls } from "./tls";
import { OutgoingMessage, outboxOf, PaymentsCalloutOptions } from "./payments/callout";
import { CommunicationOptions, CommunicationSettings, configureCommunications, communicationSettings } from "./platform/messages-settings";
import { rmSync } from "node:fs";
import { dirname } from "node:path";

export type { FaultOptions } from "./faults";
export type { SandboxUser } from "./auth";
export type { StoreSnapshot } from "./store";
export type { GenerateOptions, SeedFile } from "./seed";
export type { SandboxLimits } from "./limits";
export type { CommunicationOptions, CommunicationSettings } from "./platform/messages-settings";
export type { OutgoingMessage, PaymentsCalloutOptions } from "./payments/callout";
export type { NotificationTemplate } from "./platform/messages-templates";
export { DEFAULT_NOTIFICATION_TEMPLATES } from "./platform/messages-templates";
export { MAX_FAULT_COUNTERS, MAX_FORM_FIELD_BYTES, MAX_IDEMPOTENCY_KEYS, MAX_JSON_BODY_BYTES, MAX_JSON_DEPTH, MAX_UPLOAD_BYTES } from "./limits";
export { SandboxClock } from "./clock";
export { SandboxStore } from "./store";
export { SandboxError } from "./types";

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Port (default 0: a free port; the CLI defaults to 7070). */
  port?: number;
  /** Loopback host only: "127.0.0.1" (default), "::1" or "localhost"; anything else throws. */
  host?: string;
  /**
   * Initial state: "demo" (default, config/sandbox-demo.json), "empty", a seed or snapshot file path, or a
   * snapshot object. Ignored when `persist` names a file that exists (the run resumes from it).
   */
  data?: StoreSnapshot | SeedFile | string;
  /** Adds a synthetic tenant (e.g. `{ clients: 20000, loans: 20000 }`) on top of `data`. */
  generate?: GenerateOptions;
  /** Serve https with a certificate made at start (see `caCert` / `caCertPath`). */
  tls?: boolean;
  /** Faults of the run (off by default); change later with `sandbox.faults`. */
  faults?: FaultOptions;
  /** State file: loaded at start when it exists, written atomically on `stop()` (and `persistNow()`). */
  persist?: string;
  /** API users (default: `demo`/`demo`, API key `demo-api-key`). */
  users?: SandboxUser[];
  /** The tenant clock: offset (default "+02:00") and start (default: now, ticking; given: frozen). */
  clock?: { offset?: string; start?: string; frozen?: boolean };
  /** Input limits (body sizes, JSON nesting, fault counters, idempotency keys); defaults in limits.ts. */
  limits?: SandboxLimits;
  /**
   * Check every answer against the contract's response schema, answering 500 (naming the mismatch) for one
   * that does not match. Default: the `MAMBU_SANDBOX_CHECK_RESPONSES=1` environment variable.
   */
  checkResponses?: boolean;
  /**
   * Communication messages: `failureRate` (0..1, default 0) — the share of sends that fail, drawn
   * deterministically from `seed` (default 1); `templates` — the notification templates (default: SMS on loan
   * disbursement and repayment, EMAIL on deposit and withdrawal; `[]` sends none). Change later with
   * `sandbox.communications.set(...)`.
   */
  communications?: CommunicationOptions;
  /**
   * Rows of background work (bulk deposits, data imports) the sandbox does before handling each request
   * (default 100; see jobs.ts). A small value lets a test watch a job go QUEUED → IN_PROGRESS → COMPLETE.
   */
  jobRowsPerStep?: number;
  /**
   * The Payments API's callout (`/api/v1`): the URL its outgoing ISO 20022 messages (pacs.008 of each credit
   * transfer) are POSTed to, with optional Basic credentials, attempts and retry delay (payments/callout.ts).
   * Without it messages are kept, not sent (`sandbox.paymentsCallout.messages()`). Change later with
   * `sandbox.paymentsCallout.set(...)`.
   */
  paymentsCallout?: PaymentsCalloutOptions;
}

/** Controls of the run's faults. */
export interface SandboxFaults {
  /** Replaces the run's fault options. */
  set(f: FaultOptions): void;
  /** Turns every fault off. */
  clear(): void;
  /** Fails the next `count` requests (matching method/path) with a fault word: "429", "503", "drop", "drop-after", "slow". */
  injectNext(fault: string, count?: number, match?: { method?: string; path?: string | RegExp }): void;
}

/** Controls of the run's communication messages. */
export interface SandboxCommunications {
  /** Changes the options given (failureRate, seed, templates); the others stay. Throws for invalid ones. */
  set(options: CommunicationOptions): void;
  /** The settings in force. */
  get(): CommunicationSettings;
}

/** Controls of the Payments API's outgoing messages. */
export interface SandboxPaymentsCallout {
  /** Sets the callout (or removes it with undefined); messages kept while there was none are sent then. */
  set(options: PaymentsCalloutOptions | undefined): void;
  /** The outgoing messages so far (oldest first, at most 1000), with their delivery status. */
  messages(): OutgoingMessage[];
  /** Resolves once no delivery is under way. */
  idle(): Promise<void>;
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:7070` (requests go to `${url}/api/...`). */
  url: string;
  port: number;
  /** With `tls`: path of the CA certificate file, and its PEM. */
  caCertPath?: string;
  caCert?: string;
  /** Stops the server (persisting when `persist` is set). Idempotent. */
  stop(): Promise<void>;
  /** Writes the state to the `persist` file now. */
  persistNow(): void;
  clock: SandboxClock;
  store: SandboxStore;
  faults: SandboxFaults;
  communications: SandboxCommunications;
  paymentsCallout: SandboxPaymentsCallout;
  /** Requests received so far. */
  readonly requests: number;
  /** The routes served, as "METHOD template". */
  routes(): string[];
}

function isSeed(x: unknown): x is SeedFile {
  return !!x && typeof x === "object" && "collections" in (x as object);
}

/** Starts a sandbox (see {@link SandboxOptions}). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK_HOSTS.includes(host)) throw new Error(`the sandbox binds loopback only (127.0.0.1, ::1, localhost), not ${host}`);
  const limits = resolveLimits(options.limits);
  const clock = new SandboxClock({ offset: options.clock?.offset ?? "+02:00", start: options.clock?.start, frozen: options.clock?.frozen });
  const store = new SandboxStore();
  configureCommunications(store, options.communications); // before the seed: its actions send messages too
  const faults = new FaultInjector(options.faults, limits.maxFaultCounters);
  outboxOf(store).configure(options.paymentsCallout); // throws for a bad URL or credentials, before anything starts
  const app = new SandboxApp({ store, clock, limits }, options.users ?? DEFAULT_USERS, faults, limits);
  if (options.checkResponses !== undefined) app.checkResponses = options.checkResponses;
  if (options.jobRowsPerStep !== undefined) app.jobRowsPerStep = checkRowsPerStep(options.jobRowsPerStep);

  const persisted = options.persist ? loadSnapshotFile(options.persist) : undefined;
  if (persisted) {
    store.load(persisted);
  } else {
    const data = options.data ?? "demo";
    if (data === "empty") {
      /* nothing */
    } else if (typeof data === "string") {
      const seed = readSeedFile(data === "demo" ? demoSeedPath() : data);
      await loadSeed(app, seed);
    } else if (isSeed(data)) {
      await loadSeed(app, data);
    }
    if (options.generate) generate(app.ctx, options.generate);
  }

  const tls = options.tls ? makeTls() : undefined;
  const server = await startServer(app, host, options.port ?? 0, tls);
  const urlHost = host === "::1" ? "[::1]" : host;
  let stopped: Promise<void> | undefined;
  const persistNow = (): void => {
    if (options.persist) saveSnapshot(options.persist, store.snapshot());
  };
  return {
    url: `${tls ? "https" : "http"}://${urlHost}:${server.port}`,
    port: server.port,
    caCertPath: tls?.caPath,
    caCert: tls?.ca,
    clock,
    store,
    faults: {
      set: (f) => faults.set(f),
      clear: () => faults.clear(),
      injectNext: (f, count, match) => faults.injectNext(f, count, match),
    },
    communications: {
      set: (o) => void configureCommunications(store, o),
      get: () => communicationSettings(store),
    },
    paymentsCallout: {
      set: (o) => outboxOf(store).configure(o),
      messages: () => outboxOf(store).list(),
      idle: () => outboxOf(store).idle(),
    },
    get requests() {
      return app.requests;
    },
    routes: () => app.router.list(),
    persistNow,
    stop: () => {
      stopped ??= (async () => {
        outboxOf(store).close();
        await server.close();
        persistNow();
        if (tls) rmSync(dirname(tls.caPath), { recursive: true, force: true }); // the CA made at start
      })();
      return stopped;
    },
  };
}

/** A sandbox started as the tenant of a migration rehearsal: how to reach it, its clock, its lifecycle. */
export interface RehearsalSandbox {
  sandbox: Sandbox;
  /** The sandbox's URL and the login of its demo tenant's API user. */
  connection: { apiurl: string; apiuser?: string; apipwd?: string; apikey?: string };
  /** The tenant's UTC offset, and its "now" (ISO, with that offset). */
  offset: string;
  now(): string;
  stop(): Promise<void>;
  persistNow(): void;
}

/**
 * Starts a sandbox (demo tenant, free port) for a migration rehearsal: the `sandbox.start` of
 * `runMigration(plan, { target: "sandbox", sandbox: { start: startRehearsalSandbox } })`, which is
 * what `mambu-migrate --target sandbox` passes. `faults` are the run's; `persist` keeps its tenant
 * in a state file between runs.
 */
export async function startRehearsalSandbox(options: { faults?: FaultOptions; persist?: string } = {}): Promise<RehearsalSandbox> {
  const sandbox = await startSandbox({ port: 0, faults: options.faults, persist: options.persist });
  const user = DEFAULT_USERS[0];
  const login = user.password !== undefined ? { apiuser: user.username, apipwd: user.password } : { apikey: user.apiKey };
  return {
    sandbox,
    connection: { apiurl: sandbox.url, ...login },
    offset: sandbox.clock.offset,
    now: () => sandbox.clock.nowIso(),
    stop: () => sandbox.stop(),
    persistNow: () => sandbox.persistNow(),
  };
}
