/**
 * Setup shared by the migration e2e specs of a book's parts (deposits, their history, settlement
 * openings, loan history, documents, memberships, the pack): the plan's edits, the sandboxes, the
 * kill-and-resume run, and the look-ups of deposit transactions. Setup only: the specs assert.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runMigration } from "../../lib/migrate";
import type { MigrationResult, Pack } from "../../lib/migrate";
import { startSandbox, Sandbox } from "../../lib/sandbox";

/** Run options that print nothing. */
export const quiet = { stdout: null, progress: "none" as const };

/** A stderr that swallows what is written (runs refused at validation). */
export const silent = { write: () => true } as unknown as NodeJS.WritableStream;

/** The run options that point a migration at `sb` as the demo user. */
export const demoTarget = (sb: Sandbox) => ({ connection: { apiurl: sb.url, apiuser: "demo", apipwd: "demo" }, tenantOffset: sb.clock.offset });

/** A new, empty workdir `w` in a fresh temporary directory named `prefix…`. */
export const freshWorkdir = (prefix: string): string => join(mkdtempSync(join(tmpdir(), prefix)), "w");

/** Starts `n` sandboxes on free ports. */
export const startSandboxes = (n: number): Promise<Sandbox[]> => Promise.all(Array.from({ length: n }, () => startSandbox({ port: 0 })));

/** Starts a sandbox, hands it to `use`, and stops it however `use` ends. */
export async function withSandbox<T>(use: (sb: Sandbox) => Promise<T>): Promise<T> {
  const sb = await startSandbox({ port: 0 });
  try {
    return await use(sb);
  } finally {
    await sb.stop();
  }
}

/**
 * One sandbox for the enclosing `describe` (or file): started in beforeAll, stopped in afterAll. The
 * value returned stands for it: read it only inside tests and hooks.
 */
export function sandboxPerSuite(): Sandbox {
  let sb: Sandbox | undefined;
  beforeAll(async () => {
    sb = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sb?.stop();
  });
  return new Proxy({} as Sandbox, {
    get(_, name) {
      if (sb === undefined) throw new Error("the suite's sandbox is read before beforeAll started it");
      const v = Reflect.get(sb, name, sb) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(sb) : v;
    },
  });
}

/** What {@link editPlan} adds to a plan.yaml. */
export interface PlanEdit {
  /** Sources added at the head of `sources:` (name → file). */
  sources: Record<string, string>;
  /** Mapping lines (two-space indented) put before the mapping named by `before`. */
  mapping: string[];
  /** The mapping section the new lines go before (default `schedules`). */
  before?: string;
  /** The `steps:` line's new list (default: the line is removed, so all steps run). */
  steps?: string;
}

/** Adds sources and mappings to the plan.yaml of `dir` (a copy of the example); returns its path. */
export function editPlan(dir: string, edit: PlanEdit): string {
  const plan = join(dir, "plan.yaml");
  const before = edit.before ?? "schedules";
  const sources = Object.entries(edit.sources).map(([name, file]) => `  ${name}: { file: ${file} }\n`).join("");
  const text = readFileSync(plan, "utf8")
    .replace("sources:\n", `sources:\n${sources}`)
    .replace(/^steps: .*$/m, edit.steps === undefined ? "" : `steps: ${edit.steps}`)
    .replace(`\n  ${before}:\n`, ["", ...edit.mapping, "", `  ${before}:`, ""].join("\n"));
  writeFileSync(plan, text);
  return plan;
}

/** The mapping of a `deposits` source with the columns deposit_id, holder_id, product, currency, opening_balance, opening_date. */
export const DEPOSIT_MAPPING = [
  "  deposits:",
  "    id: deposit_id",
  "    accountHolderId: holder_id",
  "    productTypeKey: product",
  "    currencyCode: currency",
  "    name: { value: Savings }",
  "    openingBalance: opening_balance",
  "    openingDate: opening_date",
];

/** The mapping of a `depositTransactions` source with the columns deposit_id, kind, amount, value_date. */
export const DEPOSIT_TRANSACTION_MAPPING = ["  depositTransactions:", "    depositId: deposit_id", "    type: kind", "    amount: amount", "    valueDate: value_date"];

/** The deposit accounts whose id matches `ids`. */
export const depositsMatching = (sb: Sandbox, ids: RegExp) => sb.store.all("deposits").filter((d) => ids.test(String(d.id)));

/** The deposit transactions of the accounts whose id matches `ids`. */
export function depositTransactionsMatching(sb: Sandbox, ids: RegExp) {
  const keys = new Set(depositsMatching(sb, ids).map((d) => d.encodedKey));
  return sb.store.all("depositTransactions").filter((t) => keys.has(String(t.parentAccountKey)));
}

/** The deposit transactions of the deposit account `id`. */
export function depositTransactionsOf(sb: Sandbox, id: string) {
  const key = sb.store.find("deposits", id)!.encodedKey;
  return sb.store.all("depositTransactions").filter((t) => t.parentAccountKey === key);
}

/** The total balance of the deposit account `id`, as text. */
export const balanceOf = (sb: Sandbox, id: string) => String((sb.store.find("deposits", id)!.balances as Record<string, unknown>).totalBalance);

/** How {@link resumeAfterKill} cuts the journal. */
export interface Kill {
  /** Prefix of the temporary directory. */
  prefix: string;
  /** The first journal line the kill lost (with its index and all lines); everything from it on is cut. */
  lostFrom: (line: string, index: number, lines: string[]) => boolean;
  /** Of the "unit done" lines before the cut, those the kill still kept (default: none). */
  keepDone?: (line: string) => boolean;
  /** Called with the sandbox after the first run, before the kill. */
  afterFirst?: (sb: Sandbox) => void;
}

/** Cuts the journal of `workdir` as a kill would have: from the first line `lostFrom` names on, and its units' "done" lines. */
export function killJournal(workdir: string, kill: Pick<Kill, "lostFrom" | "keepDone">): void {
  const journal = join(workdir, "journal.jsonl");
  const lines = readFileSync(journal, "utf8").split("\n").filter((l) => l !== "");
  const cut = lines.findIndex(kill.lostFrom);
  expect(cut).toBeGreaterThan(0);
  const keepDone = kill.keepDone ?? (() => false);
  const kept = lines.slice(0, cut).filter((l) => !/"t":"unit"/.test(l) || !/"status":"done"/.test(l) || keepDone(l));
  writeFileSync(journal, kept.map((l) => `${l}\n`).join(""));
}

/**
 * Runs `plan` into a sandbox that persists its state, kills the journal after the tenant wrote (see
 * {@link killJournal}), restarts the sandbox on its port (its idempotency cache gone, only the look-ups
 * remain), resumes with `reconcile`, and hands the resumed run and the sandbox to `check`.
 */
export async function resumeAfterKill(plan: string, kill: Kill, check: (resumed: MigrationResult, sb: Sandbox) => void | Promise<void>): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), kill.prefix));
  const state = join(tmp, "state.json");
  const workdir = join(tmp, "work");
  let sb = await startSandbox({ port: 0, persist: state });
  try {
    const first = await runMigration(plan, { ...quiet, ...demoTarget(sb), workdir });
    expect(first.exitCode).toBe(0);
    kill.afterFirst?.(sb);
    killJournal(workdir, kill);
    const port = sb.port;
    await sb.stop();
    sb = await startSandbox({ port, persist: state });
    const resumed = await runMigration(plan, { ...quiet, ...demoTarget(sb), workdir, resume: true, reconcile: true });
    await check(resumed, sb);
  } finally {
    await sb.stop();
  }
}

/** Writes the onboarding pack of `plan` against `sb` into `<dir>/pack` (the run must succeed); returns its content. */
export async function packOf(plan: string, sb: Sandbox, dir: string): Promise<Pack> {
  const r = await runMigration(plan, { ...quiet, ...demoTarget(sb), pack: join(dir, "pack") });
  expect(r.exitCode).toBe(0);
  return r.pack!.content;
}

/**
 * Runs `plan` in both flows — the fewest calls into `now`, the earlier one (look-ups, no folding) into
 * `old` — with workdirs in `tmp`; returns each run with the pack's calls of its flow.
 */
export async function runBothFlows<C>(plan: string, tmp: string, now: Sandbox, old: Sandbox, calls: { default: C; earlier: C }, extra: { concurrency?: number } = {}) {
  const [a, b] = await Promise.all([
    runMigration(plan, { ...quiet, ...demoTarget(now), workdir: join(tmp, "w-now"), ...extra }),
    runMigration(plan, { ...quiet, ...demoTarget(old), workdir: join(tmp, "w-old"), ...extra, lookups: "always", fold: false }),
  ]);
  return [
    [a, calls.default],
    [b, calls.earlier],
  ] as const;
}
