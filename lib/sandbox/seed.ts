/**
 * Seed data: the demo tenant (config/sandbox-demo.json), other seed files, persisted snapshots, and synthetic
 * tenants for benchmarks (`generate`).
 *
 * A seed file is a store snapshot (`collections`, optional `counters`/`extra`) with conveniences:
 * - records without `encodedKey` get a stable one derived from collection and id;
 * - any string `"@<collection>:<id>"` becomes that record's encodedKey (e.g. `"assignedBranchKey": "@branches:CCAZ"`);
 * - `"@date:-30d"` / `"@datetime:-30d"` become the date / date-time that many days before the clock's start;
 * - records without `creationDate`/`lastModifiedDate` get `defaults.date` (or the clock's start), which may be a
 *   relative date too (`"@datetime:-400d"`);
 * - `actions` run after loading, each a request (`method`, `path` without `/api`, `body`) with the clock set to
 *   `at` (ISO date-time, or `-90d` relative to the start) — so loans get their approvals, disbursements and
 *   repayments through the engine, with consistent balances and schedules.
 * Keys made while seeding come from a seeded generator: the same seed gives the same tenant on every start.
 * A seed with a `"__proto__"` key anywhere is refused (see safe-keys.ts).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DateTime } from "luxon";
import type { SandboxApp } from "./app";
import { isoWithOffset } from "./clock";
import { loadEngine } from "./engine-bridge";
import { generatedDepositProduct, generatedLoanProduct } from "./generate-products";
import type { SandboxContext } from "./router";
import type { SandboxStore, StoreSnapshot } from "./store";
import type { CollectionName, WireRecord } from "./types";
import { prng } from "./prng";
import { findProtoKey } from "./safe-keys";

/** A seed action: one request run at load time. */
export interface SeedAction {
  /** When: ISO date or date-time, or "-90d" (days before the clock's start). Default: the start. */
  at?: string;
  method: string;
  path: string;
  body?: unknown;
  note?: string;
}

/** The seed file format (a superset of StoreSnapshot). */
export interface SeedFile extends StoreSnapshot {
  description?: string;
  defaults?: { date?: string };
  actions?: SeedAction[];
}

/** Path of the demo tenant's seed file (config/sandbox-demo.json of the package). */
export function demoSeedPath(): string {
  // lib/sandbox → ../../config; dist/sandbox → ../../config
  return join(__dirname, "..", "..", "config", "sandbox-demo.json");
}

/** Reads a seed or snapshot file. */
export function readSeedFile(path: string): SeedFile {
  return JSON.parse(readFileSync(path, "utf8")) as SeedFile;
}

/** A deterministic 32-hex key generator. */
export function keyGenerator(seed: string): () => string {
  let n = 0;
  return () => createHash("sha256").update(`${seed}:${n++}`).digest("hex").slice(0, 32);
}

const stableKey = (coll: string, id: string): string => createHash("sha256").update(`${coll}/${id}`).digest("hex").slice(0, 32);

function resolveTime(at: string, startIso: string): string {
  const rel = /^([+-]\d+)d$/.exec(at);
  if (!rel) return at;
  return isoWithOffset(DateTime.fromISO(startIso, { setZone: true }).plus({ days: Number(rel[1]) }));
}

/** Loads a seed (records, then actions) into a running app's store. */
export async function loadSeed(app: SandboxApp, seed: SeedFile): Promise<void> {
  const ctx: SandboxContext = app.ctx;
  const { store, clock } = ctx;
  const startIso = clock.nowIso();
  const proto = findProtoKey(seed, "seed");
  if (proto) throw new Error(`${proto}: "__proto__" is not allowed as a key`);
  store.keyGenerator = keyGenerator(`mambu-ts-sandbox:${seed.description ?? ""}`);
  try {
    const collections = JSON.parse(JSON.stringify(seed.collections ?? {})) as Partial<Record<CollectionName, WireRecord[]>>;
    // 1. keys
    const keys = new Map<string, string>();
    for (const [coll, recs] of Object.entries(collections)) {
      for (const r of recs ?? []) {
        if (!r.encodedKey) r.encodedKey = stableKey(coll, String(r.id ?? JSON.stringify(r)));
        if (r.id !== undefined) keys.set(`${coll}:${String(r.id)}`, r.encodedKey);
        if (coll === "users" && typeof r.username === "string") keys.set(`users:${r.username}`, r.encodedKey);
      }
    }
    // 2. references and relative dates
    const resolve = (v: unknown): unknown => {
      if (typeof v === "string" && /^@[A-Za-z]+:./.test(v)) {
        const d = /^@(date|datetime):([+-]\d+)d$/.exec(v);
        if (d) {
          const dt = DateTime.fromISO(startIso, { setZone: true }).plus({ days: Number(d[2]) });
          return d[1] === "date" ? dt.toISODate() : isoWithOffset(dt);
        }
        const k = keys.get(v.slice(1));
        if (!k) {
          // Records created by actions (e.g. loans) are found at use time.
          const m = /^@([A-Za-z]+):(.+)$/.exec(v);
          const rec = m ? store.find(m[1] as CollectionName, m[2]) : undefined;
          if (rec) return rec.encodedKey;
          throw new Error(`seed: unknown reference ${v}`);
        }
        return k;
      }
      if (Array.isArray(v)) return v.map(resolve);
      if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
      return v;
    };
    const defaultDate = seed.defaults?.date !== undefined ? String(resolve(seed.defaults.date)) : startIso;
    for (const [coll, recs] of Object.entries(collections)) {
      collections[coll as CollectionName] = (recs ?? []).map((r) => {
        const out = resolve(r) as WireRecord;
        if (coll !== "customfields" && coll !== "customfieldsets") {
          out.creationDate ??= defaultDate;
          out.lastModifiedDate ??= out.creationDate;
        }
        return out;
      });
    }
    store.load({ collections, counters: seed.counters, extra: seed.extra });
    linkGroupMembers(store);
    // 3. actions
    const engine = loadEngine();
    for (const a of seed.actions ?? []) {
      if (a.at) clock.set(resolveTime(a.at, startIso));
      const body = resolve(a.body);
      const res = await app.dispatch(a.method, a.path, body);
      if (res.status >= 400) {
        const errs = (res.body as { errors?: Array<{ errorReason?: string }> } | undefined)?.errors;
        if (!engine && errs?.[0]?.errorReason === "INVALID_API_OPERATION") continue; // engine routes absent in this build
        throw new Error(`seed action ${a.method} ${a.path}${a.note ? ` (${a.note})` : ""} failed: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  } finally {
    clock.set(startIso);
    store.keyGenerator = undefined;
  }
}

/** Gives each client the `groupKeys` of the groups it is a member of (as Mambu keeps both sides). */
function linkGroupMembers(store: SandboxStore): void {
  for (const group of store.all("groups")) {
    for (const m of (group.groupMembers as Array<{ clientKey?: string }> | undefined) ?? []) {
      const client = m.clientKey ? store.find("clients", m.clientKey) : undefined;
      if (!client) continue;
      const keys = Array.isArray(client.groupKeys) ? (client.groupKeys as string[]) : [];
      // replaced, not changed in place: stored records are never changed (answer-cache.ts, the sorted lists)
      if (!keys.includes(group.encodedKey)) store.replace("clients", { ...client, groupKeys: [...keys, group.encodedKey] });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Synthetic tenants

/** Sizes of a synthetic tenant. */
export interface GenerateOptions {
  clients?: number;
  loans?: number;
  deposits?: number;
  /** Seed of the random choices (default 42). */
  seed?: number;
}

/** Parses "clients=20000,loans=20000" (the CLI's --generate). */
export function parseGenerate(spec: string): GenerateOptions {
  const out: GenerateOptions = {};
  for (const part of spec.split(",")) {
    const [k, v] = part.split("=").map((s) => s.trim());
    if (!k) continue;
    if (!["clients", "loans", "deposits", "seed"].includes(k) || !/^\d+$/.test(v ?? "")) {
      throw new Error(`--generate: expected clients=N,loans=N,deposits=N, got "${part}"`);
    }
    (out as Record<string, number>)[k] = Number(v);
  }
  return out;
}

const FIRST = ["JOSEFA", "MARIA", "JUAN", "ANA", "LUIS", "CARMEN", "JOSE", "ROSA", "PEDRO", "ELENA", "MIGUEL", "LAURA", "DIEGO", "SOFIA", "PABLO", "LUCIA"];
const LAST = ["GARCIA", "LOPEZ", "MARTINEZ", "HERNANDEZ", "GONZALEZ", "PEREZ", "SANCHEZ", "RAMIREZ", "TORRES", "FLORES", "RIVERA", "GOMEZ", "DIAZ", "CRUZ", "MORALES", "REYES"];

/**
 * Adds a synthetic tenant's records to the store, fast and deterministically: clients `GC000001`...
 * (ACTIVE, spread over the branches), loans `GL000001`... (PENDING_APPROVAL, through the engine's prepareCreate
 * when there is an engine), deposits `GD000001`... likewise. A tenant without a loan (deposit) product gets
 * `GEN-LOAN` (`GEN-SAVINGS`) first, so that every generated account is valid against the contract.
 */
export function generate(ctx: SandboxContext, opts: GenerateOptions): void {
  const { store, clock } = ctx;
  const rand = prng(opts.seed ?? 42);
  const hex = (): string => {
    let s = "";
    for (let i = 0; i < 4; i++) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, "0");
    return s;
  };
  const now = clock.nowIso();
  let branches = store.all("branches");
  if (!branches.length) {
    store.insert("branches", { encodedKey: hex(), id: "GEN", name: "Generated branch", state: "ACTIVE", creationDate: now, lastModifiedDate: now });
    branches = store.all("branches");
  }
  const clientKeys: string[] = [];
  for (let i = 1; i <= (opts.clients ?? 0); i++) {
    const id = `GC${String(i).padStart(6, "0")}`;
    const rec: WireRecord = {
      encodedKey: hex(),
      id,
      state: "ACTIVE",
      firstName: FIRST[Math.floor(rand() * FIRST.length)],
      lastName: LAST[Math.floor(rand() * LAST.length)],
      preferredLanguage: "ENGLISH",
      gender: rand() < 0.5 ? "FEMALE" : "MALE",
      birthDate: `19${50 + Math.floor(rand() * 50)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
      assignedBranchKey: branches[i % branches.length].encodedKey,
      loanCycle: 0,
      groupLoanCycle: 0,
      groupKeys: [],
      creationDate: now,
      lastModifiedDate: now,
      activationDate: now,
    };
    store.insert("clients", rec);
    clientKeys.push(rec.encodedKey);
  }
  // Accounts go to the clients just generated, else to the tenant's clients that may hold one.
  const holders = clientKeys.length
    ? clientKeys
    : store.all("clients").filter((c) => c.state === "ACTIVE" || c.state === "INACTIVE" || c.state === "PENDING_APPROVAL").map((c) => c.encodedKey);
  const engine = loadEngine();
  const account = (kind: "loans" | "deposits", n: number, prefix: string): void => {
    if (!n || !holders.length) return;
    const products = kind === "loans" ? "loanproducts" : "depositproducts";
    if (!store.count(products)) store.insert(products, (kind === "loans" ? generatedLoanProduct : generatedDepositProduct)(hex(), now));
    const product = store.all(products)[0];
    for (let i = 1; i <= n; i++) {
      const holder = holders[(i - 1) % holders.length];
      const id = `${prefix}${String(i).padStart(6, "0")}`;
      const amount = 1000 + Math.floor(rand() * 90) * 100;
      let rec: WireRecord;
      if (engine) {
        const body: Record<string, unknown> = { id, accountHolderKey: holder, accountHolderType: "CLIENT", productTypeKey: product.encodedKey };
        if (kind === "loans") Object.assign(body, { loanAmount: amount });
        rec = { ...engine.prepareCreate(ctx, kind, body) };
        rec.id = id;
        rec.encodedKey ||= hex();
      } else {
        rec = {
          encodedKey: hex(),
          id,
          accountHolderKey: holder,
          accountHolderType: "CLIENT",
          accountState: "PENDING_APPROVAL",
          productTypeKey: product.encodedKey,
          ...(kind === "loans"
            ? { loanAmount: amount, loanName: "Generated loan", scheduleSettings: { gracePeriod: 0, repaymentInstallments: 12, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" } }
            : { name: "Generated deposit" }),
        };
      }
      rec.creationDate ??= now;
      rec.lastModifiedDate ??= now;
      store.insert(kind, rec);
    }
  };
  account("loans", opts.loans ?? 0, "GL");
  account("deposits", opts.deposits ?? 0, "GD");
}
