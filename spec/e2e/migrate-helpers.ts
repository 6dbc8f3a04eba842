/**
 * Helpers of the migration e2e specs: the example plan, a comparable picture of a sandbox tenant, and
 * the compiled command line run in a child process (signals, kills, another user).
 */
import { ChildProcess, execFile, execFileSync, spawn, SpawnOptions } from "child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, relative } from "path";
import { csvLine, parseCsvText } from "../../lib/migrate";
import type { Sandbox } from "../../lib/sandbox";
import type { CollectionName, WireRecord } from "../../lib/sandbox/types";
import { doneInRun, oncePerRun, runDir } from "../helpers/once-per-run";
import { buildDist, DIST_LOCK } from "./cli-helpers";

/** The example plan of config/migration. */
export const EXAMPLE_PLAN = join(__dirname, "..", "..", "config", "migration", "plan.yaml");

/** A private copy of config/migration (to break rows or keep failures files apart). */
export function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), "mig-example-"));
  cpSync(join(__dirname, "..", "..", "config", "migration"), dir, { recursive: true });
  return dir;
}

/**
 * A copy of the example with only its first `n` clients (their loans and transactions; no groups):
 * a smaller book for tests that run it several times. With `groups`, the groups stay too, with their
 * members and the groups' own loans: every kind of step of the plan, on a fraction of its rows.
 */
export function subsetExample(n: number, { groups = false }: { groups?: boolean } = {}): string {
  const dir = copyExample();
  const filter = (file: string, keep: (fields: string[]) => boolean, eol = "\n", bom = false): string[][] => {
    const recs = parseCsvText(readFileSync(join(dir, file), "utf8").replace(/^\ufeff/, ""));
    const kept = [recs[0], ...recs.slice(1).filter((r) => keep(r.fields))].map((r) => r.fields);
    writeFileSync(join(dir, file), (bom ? "\ufeff" : "") + kept.map((f) => csvLine(f)).join(eol) + eol);
    return kept.slice(1);
  };
  const members = new Set<string>();
  const groupIds = new Set<string>();
  if (groups) {
    for (const line of readFileSync(join(dir, "groups.jsonl"), "utf8").split("\n").filter(Boolean)) {
      const g = JSON.parse(line) as { id: string; members: string[] };
      groupIds.add(g.id);
      for (const m of g.members) members.add(m);
    }
  } else writeFileSync(join(dir, "groups.jsonl"), "");
  const clients = new Set(filter("clients.csv", (f) => Number(f[0].slice(5)) <= n || members.has(f[0]), "\r\n", true).map((f) => f[0]));
  const loans = new Set(filter("loans.csv", (f) => clients.has(f[1]) || groupIds.has(f[1])).map((f) => f[0]));
  for (const file of ["schedules.csv", "fees.csv"]) filter(file, (f) => loans.has(f[0]));
  filter("repayments.csv", (f) => loans.has(f[1]));
  return dir;
}

const COLLS: CollectionName[] = ["clients", "groups", "loans", "deposits", "loanTransactions", "depositTransactions"];
/** Fields that differ between two runs that did the same (times of writing, tenant-wide sequence numbers). */
const VOLATILE = new Set(["encodedKey", "creationDate", "lastModifiedDate", "approvedDate", "activationDate", "closedDate", "lastSetToArrearsDate", "lastAccountAppraisalDate", "lastInterestCalculationDate", "lastInterestStoredDate", "lastInterestAppliedDate", "installmentEncodedKey"]);

/**
 * The tenant's migrated records (ids starting with `prefix`, and everything hanging on them) as plain
 * data that two tenants can be compared by: encodedKeys replaced by the id of what they point at,
 * times of writing left out, transactions named by loan and externalId and sorted.
 */
export function tenantPicture(sb: Sandbox, prefix = "MIG-"): Record<string, unknown[]> {
  const names = new Map<string, string>();
  for (const coll of COLLS) {
    for (const r of sb.store.all(coll)) {
      names.set(r.encodedKey, coll.endsWith("Transactions") ? `${coll}:${String(r.externalId ?? r.type)}` : `${coll}:${String(r.id)}`);
    }
  }
  for (const coll of ["branches", "centres", "users", "loanproducts", "depositproducts"] as CollectionName[]) {
    for (const r of sb.store.all(coll)) names.set(r.encodedKey, `${coll}:${String(r.id ?? r.username)}`);
  }
  const norm = (v: unknown): unknown => {
    if (typeof v === "string") return names.get(v) ?? v;
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) if (!VOLATILE.has(k)) out[k] = norm((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  const mine = (r: WireRecord): boolean => String(r.id ?? "").startsWith(prefix);
  const loansOf = new Set(sb.store.all("loans").filter(mine).map((l) => l.encodedKey));
  const depositsOf = new Set(sb.store.all("deposits").filter(mine).map((d) => d.encodedKey));
  const picture: Record<string, unknown[]> = {};
  for (const coll of COLLS) {
    let recs = sb.store.all(coll);
    if (coll === "loanTransactions") recs = recs.filter((t) => loansOf.has(String(t.parentAccountKey)));
    else if (coll === "depositTransactions") recs = recs.filter((t) => depositsOf.has(String(t.parentAccountKey)));
    else recs = recs.filter(mine);
    const list = recs.map((r) => {
      const n = norm(r) as Record<string, unknown>;
      if (coll.endsWith("Transactions")) delete n.id;
      return n;
    });
    list.sort((a, b) => {
      const ka = JSON.stringify([a.parentAccountKey ?? "", a.externalId ?? "", a.type ?? "", a.id ?? ""]);
      const kb = JSON.stringify([b.parentAccountKey ?? "", b.externalId ?? "", b.type ?? "", b.id ?? ""]);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    picture[coll] = list;
  }
  return picture;
}

/** Duplicates among the migrated records: ids seen twice, or a loan with two transactions of the same externalId. */
export function duplicates(sb: Sandbox, prefix = "MIG-"): string[] {
  const out: string[] = [];
  for (const coll of ["clients", "groups", "loans", "deposits"] as CollectionName[]) {
    const ids = sb.store.all(coll).map((r) => String(r.id)).filter((id) => id.startsWith(prefix));
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) out.push(`${coll}:${id}`);
      seen.add(id);
    }
  }
  const seen = new Set<string>();
  for (const t of sb.store.all("loanTransactions")) {
    if (typeof t.externalId !== "string") continue;
    const k = `${String(t.parentAccountKey)}/${t.externalId}/${String(t.type)}`;
    if (seen.has(k)) out.push(`transaction ${t.externalId}`);
    seen.add(k);
  }
  return out;
}

const ROOT = join(__dirname, "..", "..");

/**
 * Compiles lib/ into `<dir>/dist` — a private build, so that other builds of the shared dist/ cannot
 * interfere — with config/ beside it (the sandbox's demo seed); returns the path of the CLI. Within
 * one `jest` run lib/ is compiled once: the shared dist/ the CLI tests run (cli-helpers.ts
 * `buildDist`, itself once per run) is copied into the run's directory as soon as it is built
 * (spec/helpers/once-per-run.ts), and from there into each caller's `dir`: every caller still gets a
 * dist/ of its own, and the run compiles lib/ once instead of twice.
 */
export async function buildCli(dir: string): Promise<string> {
  const dist = join(dir, "dist");
  const run = runDir();
  if (run === undefined) await compileLib(dist);
  else {
    const built = join(run, "migrate-dist");
    await oncePerRun("migrate-dist", async () => {
      // While another test file builds dist/ (buildDist waits synchronously), this one's event loop
      // stays free: what it does meanwhile (the example plan's reference run) goes on.
      while (existsSync(DIST_LOCK) && !doneInRun("dist")) await new Promise((r) => setTimeout(r, 200));
      buildDist();
      cpSync(join(ROOT, "dist"), built, { recursive: true });
      if (!existsSync(join(built, "cli", "migrate-command.js"))) throw new Error(`the build did not produce ${join(built, "cli", "migrate-command.js")}`);
    });
    cpSync(built, dist, { recursive: true });
  }
  const cli = join(dist, "cli", "migrate-command.js");
  if (!existsSync(cli)) throw new Error(`the build did not produce ${cli}`);
  if (!existsSync(join(dir, "config"))) symlinkSync(join(ROOT, "config"), join(dir, "config"));
  return cli;
}

/** Compiles lib/ into `dist` (JavaScript only: no declarations, no source maps). */
function compileLib(dist: string): Promise<void> {
  return new Promise<void>((resolve) => {
    execFile(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.json"), "--outDir", dist, "--sourceMap", "false", "--declaration", "false"], { cwd: ROOT }, () => resolve());
  });
}

/**
 * Copies the library's runtime dependencies (npm's production tree) into `<dir>/node_modules`, so that
 * a build in `dir` runs for a user who may not enter the repository (tests run as `nobody` when they run
 * as root, and a checkout in a private directory — `mktemp -d`, a home — is closed to that user).
 */
export function copyRuntimeModules(dir: string): void {
  const out = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: ROOT, encoding: "utf8" });
  const modules = join(ROOT, "node_modules");
  for (const path of out.split("\n").filter((p) => p.startsWith(modules + "/"))) {
    cpSync(path, join(dir, "node_modules", relative(modules, path)), { recursive: true, dereference: true });
  }
}

/** A run of the CLI in a child process, with its output gathered as it comes. */
export interface CliRun {
  child: ChildProcess;
  /** stdout and stderr so far. */
  readonly out: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
}

/** Starts the CLI with `args` (environment: `env` over this one's, modules from the repository). */
export function startCli(cli: string, args: string[], env: Record<string, string> = {}, opts: SpawnOptions = {}): CliRun {
  const child = spawn(process.execPath, [cli, ...args], { ...opts, env: { ...process.env, NODE_PATH: join(ROOT, "node_modules"), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d) => (out += String(d)));
  child.stderr?.on("data", (d) => (out += String(d)));
  // "close": the process ended and its output was all read
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, out })));
  return {
    child,
    get out() {
      return out;
    },
    exited,
  };
}

/**
 * Waits until `cond()` holds, checking every 10 ms (a bound of `limitMs` only keeps a broken run from
 * hanging the test: nothing is asserted about time).
 */
export async function waitFor(cond: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Number of lines of a file (0 when it does not exist). */
export function lineCount(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, "utf8").split("\n").length - 1;
}
