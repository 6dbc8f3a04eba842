/**
 * The onboarding pack's dry run: the plan's units run by the migration's own runner and steps
 * (runner.ts, steps.ts — the ORM builds every request as in a real run) against a recording tenant
 * in memory that answers as a Mambu tenant holding none of the plan's records would (records created,
 * states changed, nothing found before it was created; the holders outside the plan that validation
 * found in the tenant are there). Nothing leaves the process: the connector's `fetch` is the recorder.
 * The journal is a throw-away one in a private temporary directory, removed afterwards.
 *
 * Its credentials are placeholders (never the tenant's): the recorded `Authorization` header is
 * shown as `****` in any case.
 */
import { existsSync, mkdtempSync, rmSync } from "fs";
import type nodeFetch from "node-fetch";
import type { Response as FetchResponse, ResponseInit } from "node-fetch";
import { tmpdir } from "os";
import { join } from "path";
import { randomUUID } from "crypto";
import { parseJsonExact } from "../core/json";
import { MambuConnector } from "../transport";
import { Journal } from "./journal";
import { newStats, runUnits } from "./runner";
import type { Book, Plan } from "./types";

type Rec = Record<string, unknown>;

/** One request the steps sent to the recording tenant. */
export interface RecordedCall {
  method: string;
  /** Path under the API root with its query (`/api/clients`). */
  path: string;
  /** The path with the record's id as `{id}` (`/api/loans/{id}:changeState`). */
  template: string;
  /** Headers as sent, credentials shown as `****`. */
  headers: Record<string, string>;
  /** The JSON body as sent, its numbers exact (`RawNumber`; undefined: none); in `path` and `body`, the encodedKey of a record created earlier reads `{encodedKey of loan L1}`. */
  body?: unknown;
  /** The unit whose steps sent it. */
  unit: string;
}

/** What a dry run of one flow found (bounded: counts, and the calls kept as samples). */
export interface DryRun {
  /** Requests sent. */
  total: number;
  /** Writes Mambu would accept (the summary's `writes`). */
  writes: number;
  /** Client units (the summary's `clients`). */
  clients: number;
  /** Requests by `METHOD template`. */
  byEndpoint: Map<string, number>;
  /** The most requests one unit sent. */
  maxPerUnit: number;
  /** The first call to each endpoint. */
  first: Map<string, RecordedCall>;
  /** Every call of the first unit whose steps reached the most endpoints. */
  fullest: RecordedCall[];
  /** Units whose steps failed against the recording tenant (a bug of the pack, or a plan it cannot follow). */
  failures: Array<{ unit: string; reason: string }>;
}

const CREDENTIAL_HEADERS = new Set(["authorization", "apikey"]);
const API = "https://tenant.invalid/api";

/** A record store answering the requests a migration sends, as an empty tenant would. */
class RecordingTenant {
  private readonly byId = new Map<string, Map<string, Rec>>();
  private n = 0;
  /** The type of each transaction posted here, by encodedKey (what an adjustment reverses). */
  private readonly txTypes = new Map<string, string>();
  /** What each encodedKey handed out stands for, as the samples show it. */
  readonly labels = new Map<string, string>();

  /** A text with the encodedKeys handed out shown as what they stand for. */
  label(text: string): string {
    return text.replace(/8a[0-9a-f]{30}/g, (k) => this.labels.get(k) ?? k);
  }

  private coll(name: string): Map<string, Rec> {
    let c = this.byId.get(name);
    if (!c) this.byId.set(name, (c = new Map()));
    return c;
  }

  private find(coll: string, idOrKey: string): Rec | undefined {
    const c = this.coll(coll);
    return c.get(idOrKey) ?? [...c.values()].find((r) => r.encodedKey === idOrKey);
  }

  /** Holds a record the tenant has already (a holder outside the plan, found at validation). */
  hold(coll: string, id: string, encodedKey: string): void {
    this.coll(coll).set(id, { id, encodedKey });
  }

  /** The encodedKey of a record created here, by id. */
  keyOf(coll: string, id: string): string | undefined {
    const k = this.coll(coll).get(id)?.encodedKey;
    return typeof k === "string" ? k : undefined;
  }

  answer(method: string, path: string, body: unknown): { status: number; body?: unknown } {
    const parts = path.split("?")[0].replace(/^\/api\//, "").split("/");
    const [coll, rawId, sub] = parts;
    const [id, action] = (rawId ?? "").split(":");
    const b = (body && typeof body === "object" ? body : {}) as Rec;
    const missing = { status: 404, body: { errors: [{ errorCode: 301, errorReason: `${coll.toUpperCase()}_NOT_FOUND` }] } };
    if (method === "POST" && parts.length === 1) {
      const key = `8a${(++this.n).toString(16).padStart(30, "0")}`;
      const rec: Rec = { ...b, encodedKey: key, id: typeof b.id === "string" ? b.id : key };
      this.labels.set(key, `{encodedKey of ${coll.replace(/s$/, "")} ${String(rec.id)}}`);
      if (coll === "loans" || coll === "deposits") rec.accountState = typeof b.accountState === "string" ? b.accountState : "PENDING_APPROVAL";
      this.coll(coll).set(String(rec.id), rec);
      return { status: 201, body: rec };
    }
    // an empty tenant's owners have no documents yet
    if (method === "GET" && coll === "documents" && id === "documentsMetadata") return { status: 200, body: [] };
    if (method === "POST" && id === "transactions" && sub?.endsWith(":adjust")) {
      const type = this.txTypes.get(sub.split(":")[0]);
      return { status: 200, body: { encodedKey: randomUUID().replace(/-/g, ""), id: String(++this.n), type: `${type === "FEE_APPLIED" ? "FEE" : (type ?? "REPAYMENT")}_ADJUSTMENT` } };
    }
    const rec = id ? this.find(coll, decodeURIComponent(id)) : undefined;
    if (method === "GET" && sub === "transactions") return rec ? { status: 200, body: [] } : missing;
    if (method === "GET" && parts.length === 2) return rec ? { status: 200, body: rec } : missing;
    if (!rec) return missing;
    if (method === "POST" && action === "applyInterest") return { status: 204 };
    if (method === "POST" && action === "changeState") {
      const to = b.action === "REQUEST_APPROVAL" ? "PENDING_APPROVAL" : b.action === "APPROVE" ? "APPROVED" : String(rec.accountState);
      rec.accountState = to;
      return { status: 200, body: rec };
    }
    if (method === "PATCH" && parts.length === 2) {
      for (const op of Array.isArray(body) ? (body as Rec[]) : []) {
        if (typeof op.path === "string") rec[op.path.replace(/^\//, "")] = op.value;
      }
      return { status: 204 };
    }
    if (method === "PUT" && sub === "schedule") {
      (rec.scheduleSettings as Rec | undefined) ??= {};
      rec.scheduleSettings = { ...(rec.scheduleSettings as Rec), hasCustomSchedule: true };
      return { status: 200, body: { installments: Array.isArray(b.installments) ? b.installments : [] } };
    }
    if (method === "POST" && sub?.endsWith("-transactions")) {
      if (sub === "disbursement-transactions") rec.accountState = "ACTIVE";
      const type = sub === "disbursement-transactions" ? "DISBURSEMENT" : sub === "fee-transactions" ? "FEE_APPLIED" : sub === "deposit-transactions" ? "DEPOSIT" : sub === "withdrawal-transactions" ? "WITHDRAWAL" : "REPAYMENT";
      const encodedKey = randomUUID().replace(/-/g, "");
      this.txTypes.set(encodedKey, type);
      return { status: 201, body: { encodedKey, id: String(++this.n), type, parentAccountKey: rec.encodedKey, ...(typeof b.externalId === "string" ? { externalId: b.externalId } : {}) } };
    }
    return { status: 404, body: { errors: [{ errorCode: 0, errorReason: "NOT_EMULATED_BY_THE_PACK" }] } };
  }
}

/** The id in a path (`/api/loans/L1:changeState` → `/api/loans/{id}:changeState`). */
export function pathTemplate(path: string): string {
  const p = path.split("?")[0];
  // a transaction by its key (`/api/loans/transactions/{id}:adjust`): the id is the transaction's
  if (/^\/api\/(loans|deposits)\/transactions\//.test(p)) return p.replace(/^(\/api\/[^/]+\/transactions)\/([^/:]+)/, "$1/{id}");
  return p.replace(/^(\/api\/[^/]+)\/([^/:]+)/, "$1/{id}");
}

/**
 * Runs the book's units against a recording tenant in the flow of `lookups` and `fold` (the runner's
 * options), one unit at a time: what they sent, counted, and the calls kept as samples.
 */
export async function dryRun(plan: Plan, book: Book, flow: { lookups?: "auto" | "always"; fold?: boolean; offset?: string }): Promise<DryRun> {
  const tenant = new RecordingTenant();
  for (const [id, ext] of book.external) tenant.hold(ext.kind === "group" ? "groups" : "clients", id, ext.encodedKey);
  const run: DryRun = { total: 0, writes: 0, clients: book.units.filter((u) => u.kind === "client").length, byEndpoint: new Map(), maxPerUnit: 0, first: new Map(), fullest: [], failures: [] };
  let current = "";
  let unitCalls: RecordedCall[] = [];
  const fetch = (async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }) => {
    const method = (init?.method ?? "GET").toUpperCase();
    const u = new URL(String(url));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(init?.headers ?? {})) headers[k] = CREDENTIAL_HEADERS.has(k.toLowerCase()) ? "****" : String(v);
    const text = typeof init?.body === "string" && init.body !== "" ? init.body : undefined;
    // the records' encodedKeys (placeholders of the recording tenant) shown as what they stand for
    const path = tenant.label(`${u.pathname}${u.search}`);
    const call: RecordedCall = { method, path, template: pathTemplate(path), headers, body: text === undefined ? undefined : parseJsonExact(tenant.label(text)), unit: current };
    const endpoint = `${method} ${call.template}`;
    run.total++;
    run.byEndpoint.set(endpoint, (run.byEndpoint.get(endpoint) ?? 0) + 1);
    if (!run.first.has(endpoint)) run.first.set(endpoint, call);
    unitCalls.push(call);
    const a = tenant.answer(method, u.pathname, text === undefined ? undefined : JSON.parse(text));
    return fetchResponse(a.body === undefined ? "" : JSON.stringify(a.body), { status: a.status, headers: a.body === undefined ? {} : { "content-type": "application/json" } });
  }) as unknown as typeof nodeFetch;
  const conn = new MambuConnector({ apiurl: API, apiuser: "pack", apipwd: "not-a-credential", fetch, retries: 0, apipagination: 1000 });
  // a throw-away journal (ids and steps only): on tmpfs where there is one, its syncs cost nothing
  const dir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "mambu-pack-"));
  const journal = Journal.open(join(dir, "journal.jsonl"), { planId: plan.id, planHash: plan.hash, resume: false, lookups: flow.lookups, emptyTenant: true });
  const stats = newStats(book);
  const reached = (calls: RecordedCall[]): number => new Set(calls.map((c) => `${c.method} ${c.template}`)).size;
  let best = 0;
  try {
    // one unit at a time: each request belongs to the unit under way
    const external = new Map(book.external);
    for (const u of book.units) {
      current = u.key;
      unitCalls = [];
      await runUnits({ conn, plan, book: { ...book, units: [u], external }, journal, stats, concurrency: 1, offset: flow.offset, fold: flow.fold });
      run.maxPerUnit = Math.max(run.maxPerUnit, unitCalls.length);
      const n = reached(unitCalls);
      if (n > best) [best, run.fullest] = [n, unitCalls];
      // a group's members are clients run before it: known to the next units as the tenant's
      const key = u.kind === "client" ? tenant.keyOf("clients", u.id) : undefined;
      if (key) external.set(u.id, { kind: "client", encodedKey: key });
    }
  } finally {
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
  run.writes = stats.writes;
  run.failures = stats.failures.map((f) => ({ unit: f.unit.key, reason: f.reason }));
  return run;
}

let responseClass: typeof FetchResponse | undefined;
/** A node-fetch Response (node-fetch loaded on the first pack: nothing else in a run needs it). */
function fetchResponse(body: string, init: ResponseInit): FetchResponse {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  responseClass ??= (require("node-fetch") as typeof import("node-fetch")).Response;
  return new responseClass(body, init);
}
