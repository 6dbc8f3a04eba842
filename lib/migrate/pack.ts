/**
 * The onboarding pack (`mambu-migrate plan.yaml --pack <dir>`, `runMigration(plan, { pack })`): what
 * Mambu's onboarding asks of an API migration (seed 002) — the volumes, the steps per client, a sample
 * API call per step, the calls per client and in total with the time they take at a rate, with and
 * without the fewest-calls flow, and the reconciliation the run will produce — as `pack.md` for
 * people and `pack.json` for tools.
 *
 * Nothing is written to the tenant: the pack reads what `--check` reads (the tenant's reference data,
 * to validate the rows and resolve ids into the encodedKeys the bodies carry — GET requests only),
 * then runs the units with the migration's own runner and steps against a recording tenant in memory
 * (pack-dry-run.ts), so that the samples are the requests a run sends and the counts are exact for a
 * first run into an empty tenant. No workdir, journal or lock is touched.
 *
 * The pack holds no personal data and no credential: the samples' personal fields are masked as
 * `[redacted]` (the targets and columns of personal.ts), every personal value of the source that
 * would still appear anywhere in the text is withheld, and credentials are `****` (the dry run never
 * had any). So the files are written with the usual modes; each is written to a temporary file and
 * renamed (a pack is whole or absent), and an existing pack is kept unless `force`.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "fs";
import { basename, join } from "path";
import { dryRun, DryRun, RecordedCall } from "./pack-dry-run";
import { exactJson, renderPack } from "./pack-render";
import { RawNumber } from "../core/json";
import { isPersonalTarget, personalValues, REDACTED } from "./personal";
import { METRICS, sourceFigures } from "./reconcile";
import type { Book, Plan, StepName } from "./types";
import { STEP_NAMES } from "./types";
import { unitStepNames } from "./validate";
import { WorkdirError } from "./fserrors";

type Rec = Record<string, unknown>;

/** The files of a pack. */
export const PACK_FILES = ["pack.md", "pack.json"] as const;

/** A sample API call of the pack. */
export interface PackSample {
  /** The step it belongs to (`lookup` for a look-up of the earlier flow). */
  step: StepName | "lookup";
  /** Which flow sends it: both, or only the earlier one (look-ups, the settlement link's PATCH). */
  flows: "both" | "earlier";
  method: string;
  /** The endpoint with the record's id as `{id}`. */
  endpoint: string;
  /** The path of this sample, its id filled in. */
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  /**
   * The client or group of the source it was built from: the first one whose steps reach the most
   * endpoints (one client's flow), else the first one that reaches the endpoint.
   */
  unit: string;
}

/** Requests of one flow. */
export interface PackCalls {
  total: number;
  writes: number;
  /** `total / clients`, two decimals (the summary's `requestsPerClient`). */
  perClient: number;
  /** Requests by `METHOD endpoint`. */
  byEndpoint: Record<string, number>;
  /** The most requests one client or group needs. */
  maxPerUnit: number;
}

/**
 * Mambu's bulk deposits (`POST /deposits/deposit-transactions:bulk`) for the plan's deposits: not used — the
 * bulk's rows (`DepositTransactionBulkableInputDTO`) carry no value date, so Mambu books each on the day it
 * processes the bulk, and a history (or an opening balance on its opening date) would lose its dates. The
 * deposits go one `POST /deposits/{id}/deposit-transactions` each, in both flows: `rows` of them.
 */
export interface PackBulk {
  endpoint: "POST /api/deposits/deposit-transactions:bulk";
  used: false;
  /** The deposits the run posts one by one (opening balances and the history's deposits); withdrawals have no bulk endpoint. */
  rows: number;
  /** Requests saved by the bulk endpoint: none (see `reason`). */
  saved: 0;
  reason: string;
}

/** Why the pack's {@link PackBulk} is not used. */
export const BULK_REASON =
  "Mambu's bulk deposit rows (DepositTransactionBulkableInputDTO) have no valueDate: Mambu books each row on the day it processes the bulk, so deposits with their historical value dates (the history, the opening balances) cannot go through it without changing the accounts' history; withdrawals have no bulk endpoint. Each deposit is one POST /api/deposits/{id}/deposit-transactions, in both flows.";

/** The content of `pack.json`. */
export interface Pack {
  kind: "mambu-migrate onboarding pack";
  version: 1;
  plan: { id: string; file: string; description?: string };
  /** What the pack read of the tenant. */
  tenantReads: string;
  volumes: {
    rows: Record<string, number>;
    entities: Record<string, number>;
    /** Steps the run performs, by step. */
    steps: Record<string, number>;
    skippedRows: number;
  };
  /** The steps in the order the plan runs them for a client. */
  steps: Array<{ step: StepName; count: number; what: string }>;
  samples: PackSample[];
  calls: { clients: number; units: number; default: PackCalls; earlier: PackCalls; saved: number; bulk: PackBulk };
  /** Time the calls take at each rate (seconds). */
  durations: Array<{ rate: string; perSecond: number; defaultSeconds: number; earlierSeconds: number }>;
  reconciliation: { checks: Array<{ metric: string; source: string; tenant: string; total: string }>; requests: string[]; requestCount: number; report: string };
  personalData: { columns: Record<string, string[]>; note: string };
}

/** Options of {@link buildPack}. */
export interface PackOptions {
  /** Requests per second for the durations (default: 10, 20 and 50 per second). */
  rate?: number;
  /** The rate as the user wrote it. */
  rateText?: string;
  offset?: string;
}

const STEP_WHAT: Record<StepName, string> = {
  client: "client creation",
  group: "group creation (members: clients created before)",
  deposit: "deposit account (savings) creation and approval",
  opening: "opening balance deposited (one deposit transaction on the opening date)",
  depositTransaction: "deposits and withdrawals of the deposit accounts posted, in value-date order after the opening",
  loan: "loan account creation (linked to its settlement account at creation in the default flow)",
  approve: "loan account approval",
  settlement: "settlement deposit account creation and approval (linked to the loan: at the loan's creation, or a PATCH in the earlier flow)",
  settlementOpening: "settlement account's opening balance deposited (one deposit transaction on the opening date)",
  schedule: "loan account schedule edited",
  disburse: "loan account disbursed",
  fee: "manual fees applied",
  repayment: "repayments posted",
  interest: "interest applied up to a date",
  adjustment: "fees and repayments adjusted (reversed)",
  document: "documents attached to clients, groups and accounts (one multipart upload each)",
};

/** What tells the deposit steps' requests apart: the standalone accounts' ids and their opening deposits' externalIds. */
export interface DepositSteps {
  standalone: ReadonlySet<string>;
  openings: ReadonlySet<string>;
  /** The settlement accounts' opening deposits' externalIds. */
  settlementOpenings?: ReadonlySet<string>;
}

/** The deposit account a request is about: its id in the path (or its encodedKey as the samples show it), else in the body. */
function depositIdOf(c: RecordedCall): string | undefined {
  const m = /^\/api\/deposits\/(?:\{encodedKey of deposit (.+?)\}|([^/:{}]+))/.exec(c.path);
  if (m) return decodeURIComponent(m[1] ?? m[2]);
  const id = (c.body as Rec | undefined)?.id;
  return typeof id === "string" ? id : undefined;
}

/** The step a request of the steps belongs to (a deposit account's: standalone or settlement, by its id). */
export function stepOf(c: RecordedCall, deposits: DepositSteps = { standalone: new Set(), openings: new Set() }): StepName | "lookup" {
  const t = c.template.replace(/^\/api/, "");
  if (c.method === "GET") return "lookup";
  if (t === "/clients") return "client";
  if (t === "/documents") return "document";
  if (t === "/groups") return "group";
  if (t === "/loans") return "loan";
  if (t === "/deposits/{id}/deposit-transactions" || t === "/deposits/{id}/withdrawal-transactions") {
    const ext = (c.body as Rec | undefined)?.externalId;
    if (typeof ext === "string" && deposits.settlementOpenings?.has(ext)) return "settlementOpening";
    return typeof ext === "string" && deposits.openings.has(ext) ? "opening" : "depositTransaction";
  }
  if (t.startsWith("/deposits")) {
    const id = depositIdOf(c);
    return id !== undefined && deposits.standalone.has(id) ? "deposit" : "settlement";
  }
  if (c.method === "PATCH" && t === "/loans/{id}") return "settlement";
  if (t === "/loans/{id}:changeState") return "approve";
  if (t === "/loans/{id}:applyInterest") return "interest";
  if (t === "/loans/transactions/{id}:adjust") return "adjustment";
  if (t === "/loans/{id}/schedule") return "schedule";
  if (t.endsWith("/disbursement-transactions")) return "disburse";
  if (t.endsWith("/fee-transactions")) return "fee";
  if (t.endsWith("/repayment-transactions")) return "repayment";
  return "lookup";
}

const BLOCK_OF: Record<string, string> = { "/api/clients": "mapping.clients", "/api/groups": "mapping.groups", "/api/loans": "mapping.loans.account" };

/** A body with its personal fields masked (personal targets — `notes` in every body — and any value of a personal column). */
function maskBody(body: unknown, block: string | undefined, personal: RegExp | undefined): unknown {
  const holds = (text: string): boolean => personal !== undefined && ((personal.lastIndex = 0), personal.test(text));
  const walk = (v: unknown, top: boolean): unknown => {
    if (v instanceof RawNumber) return holds(v.text) ? REDACTED : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, false));
    if (v && typeof v === "object") {
      const out: Rec = {};
      for (const [k, x] of Object.entries(v as Rec)) out[k] = top && isPersonalTarget(block ?? "", k) ? REDACTED : walk(x, false);
      return out;
    }
    if (typeof v === "string" || typeof v === "number") return holds(String(v)) ? REDACTED : v;
    return v;
  };
  return walk(body, true);
}

/** The deposits the run posts one by one, and why not in bulk (see {@link PackBulk}). */
function bulkOf(plan: Plan, book: Book): PackBulk {
  let rows = 0;
  for (const u of book.units) {
    for (const d of u.deposits ?? []) {
      if (d.opening && plan.steps.has("opening")) rows++;
      if (plan.steps.has("depositTransaction")) rows += (d.transactions ?? []).filter((t) => t.type === "DEPOSIT").length;
    }
    for (const l of u.loans) if (l.settlement?.opening && plan.steps.has("settlementOpening")) rows++;
  }
  return { endpoint: "POST /api/deposits/deposit-transactions:bulk", used: false, rows, saved: 0, reason: BULK_REASON };
}

function calls(run: DryRun): PackCalls {
  return {
    total: run.total,
    writes: run.writes,
    perClient: run.clients > 0 ? Math.round((run.total / run.clients) * 100) / 100 : 0,
    byEndpoint: Object.fromEntries([...run.byEndpoint].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    maxPerUnit: run.maxPerUnit,
  };
}

/** One mask over many personal values: whether a text holds any of them (standing alone, case-insensitive). */
function personalMatcher(values: readonly string[]): RegExp | undefined {
  const usable = values.filter((v) => v.length >= 2);
  if (!usable.length) return undefined;
  const alts = usable.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts})(?![\\p{L}\\p{N}])`, "giu");
}

const RECONCILE: Record<string, { source: string; tenant: string }> = {
  holders: { source: "clients and groups of the plan", tenant: "GET /api/clients/{id} or /api/groups/{id} answers the record" },
  loans: { source: "loans of the plan", tenant: "GET /api/loans/{id} answers a loan of that holder" },
  loanAmount: { source: "sum of the loans' amounts", tenant: "sum of loanAmount of those loans" },
  disbursed: { source: "sum of the amounts of the loans disbursed", tenant: "sum of the DISBURSEMENT transactions (GET /api/loans/{id}/transactions, reversed ones left out)" },
  fees: { source: "sum of the fees' amounts", tenant: "sum of the FEE_APPLIED transactions" },
  feeCount: { source: "number of fees", tenant: "number of FEE_APPLIED transactions" },
  repaid: { source: "sum of the repayments' amounts", tenant: "sum of the REPAYMENT transactions" },
  repaymentCount: { source: "number of repayments", tenant: "number of REPAYMENT transactions" },
  paid: { source: "sum of the repayments' amounts", tenant: "balances.principalPaid + interestPaid + feesPaid + penaltyPaid of the loans" },
  deposits: { source: "standalone deposit accounts of the plan", tenant: "GET /api/deposits/{id} answers an account of that holder" },
  depositBalance: { source: "sum of the opening balances, plus the deposits, less the withdrawals", tenant: "sum of balances.totalBalance of those accounts" },
  deposited: { source: "sum of the deposits after the openings", tenant: "sum of the DEPOSIT transactions tagged with the plan's externalIds (GET /api/deposits/{id}/transactions, reversed ones left out)" },
  depositedCount: { source: "number of deposits after the openings", tenant: "number of those DEPOSIT transactions" },
  withdrawn: { source: "sum of the withdrawals", tenant: "sum of the WITHDRAWAL transactions tagged with the plan's externalIds" },
  withdrawnCount: { source: "number of withdrawals", tenant: "number of those WITHDRAWAL transactions" },
  adjustedCount: { source: "number of the fees and repayments adjusted (left out of fees, repaid and paid)", tenant: "number of those transactions reversed in the tenant (adjustmentTransactionKey)" },
  groupRoles: { source: "roles of the groups' members (groupMembers source)", tenant: "roles of the members of those groups with the plan's groupRoleNameKeys (GET /api/groups/{id})" },
  documents: { source: "documents of the plan", tenant: "documents of their owners with the same title and file name (GET /api/documents/documentsMetadata)" },
  settlements: { source: "sum of the settlement accounts' opening balances", tenant: "sum of balances.totalBalance of those settlement accounts (GET /api/deposits/{id})" },
};

/** The deposit accounts' transactions' metrics (shown when the plan has some). */
const DEPOSIT_TX_METRICS = new Set<string>(["deposited", "depositedCount", "withdrawn", "withdrawnCount"]);

/** Builds the pack of a validated book: two dry runs (the default flow, the earlier one). */
export async function buildPack(plan: Plan, book: Book, opts: PackOptions = {}): Promise<Pack> {
  const fast = await dryRun(plan, book, { offset: opts.offset });
  const slow = await dryRun(plan, book, { offset: opts.offset, lookups: "always", fold: false });
  const failures = [...fast.failures, ...slow.failures];
  if (failures.length) throw new Error(`the pack's dry run could not follow the plan for ${failures.length} clients or groups (first: ${failures[0].unit}: ${failures[0].reason})`);
  const allRows = book.units.flatMap((u) => u.rows);
  const personal = personalMatcher(personalValues(allRows, book.personal));

  const savings = book.units.flatMap((u) => u.deposits ?? []);
  const settlementOpenings = book.units.flatMap((u) => u.loans.flatMap((l) => (l.settlement?.opening ? [l.settlement.opening] : [])));
  const depositSteps: DepositSteps = {
    standalone: new Set(savings.map((d) => d.id)),
    openings: new Set(savings.flatMap((d) => (d.opening ? [d.opening.externalId] : []))),
    settlementOpenings: new Set(settlementOpenings.map((o) => o.externalId)),
  };
  const samples: PackSample[] = [];
  const seen = new Set<string>();
  const fastKeys = new Set(fast.byEndpoint.keys());
  // one client's whole flow where it can (the first unit reaching the most endpoints), and of its calls
  // to an endpoint the fullest body (a loan with its settlement account over one without); then the
  // first call to each endpoint that client did not reach
  const size = (c: RecordedCall): number => (c.body === undefined ? 0 : JSON.stringify(c.body).length);
  const candidates = (run: DryRun): RecordedCall[] => [...[...run.fullest].sort((a, b) => size(b) - size(a)), ...run.first.values()];
  for (const c of [...candidates(fast), ...candidates(slow)]) {
    const k = `${c.method} ${c.template}`;
    if (seen.has(k)) continue;
    seen.add(k);
    samples.push({
      step: stepOf(c, depositSteps),
      flows: fastKeys.has(k) ? "both" : "earlier",
      method: c.method,
      endpoint: c.template,
      path: c.path,
      headers: c.headers,
      ...(c.body === undefined ? {} : { body: maskBody(c.body, c.method === "POST" ? BLOCK_OF[c.template] : undefined, personal) }),
      unit: c.unit,
    });
  }
  const order = (s: PackSample): number => (s.step === "lookup" ? -1 : STEP_NAMES.indexOf(s.step));
  samples.sort((a, b) => order(a) - order(b));

  const stepCounts: Record<string, number> = {};
  for (const u of book.units) for (const s of unitStepNames(u, plan)) stepCounts[s] = (stepCounts[s] ?? 0) + 1;
  const loans = book.units.flatMap((u) => u.loans);
  const txs = loans.flatMap((l) => l.transactions);
  const entities: Record<string, number> = {
    clients: book.units.filter((u) => u.kind === "client").length,
    groups: book.units.filter((u) => u.kind === "group").length,
    loans: loans.length,
    settlementAccounts: loans.filter((l) => l.settlement).length,
    ...(settlementOpenings.length ? { settlementOpenings: settlementOpenings.length } : {}),
    editedSchedules: loans.filter((l) => l.schedule).length,
    installments: loans.reduce((n, l) => n + (l.schedule?.installments.length ?? 0), 0),
    disbursements: loans.filter((l) => l.disburse).length,
    fees: txs.filter((t) => t.kind === "fee").length,
    repayments: txs.filter((t) => t.kind === "repayment").length,
  };
  const interest = txs.filter((t) => t.kind === "interest").length;
  const adjustments = txs.filter((t) => t.kind === "adjustment").length;
  entities.transactions = entities.disbursements + entities.fees + entities.repayments;
  const documents = book.units.flatMap((u) => u.documents ?? []);
  if (documents.length) entities.documents = documents.length;
  const groupRoles = book.units.reduce((n, u) => n + [...(u.memberRoles?.values() ?? [])].reduce((k, r) => k + r.length, 0), 0);
  if (groupRoles) entities.groupRoles = groupRoles;
  if (interest) entities.interestApplications = interest;
  if (adjustments) entities.adjustments = adjustments;
  if (savings.length) {
    entities.depositAccounts = savings.length;
    entities.openingDeposits = savings.filter((d) => d.opening).length;
    const depositTxs = savings.flatMap((d) => d.transactions ?? []);
    if (depositTxs.length) {
      entities.depositTransactions = depositTxs.filter((t) => t.type === "DEPOSIT").length;
      entities.withdrawals = depositTxs.filter((t) => t.type === "WITHDRAWAL").length;
    }
  }

  const def = calls(fast);
  const earlier = calls(slow);
  const rates = opts.rate ? [{ rate: opts.rateText ?? `${opts.rate}/s`, perSecond: opts.rate }] : [10, 20, 50].map((r) => ({ rate: `${r}/s`, perSecond: r }));
  const personalColumns: Record<string, string[]> = {};
  for (const [source, cols] of book.personal) if (cols.size) personalColumns[source] = [...cols].sort();

  const hasDeposits = book.units.some((u) => (u.deposits ?? []).length > 0);
  const hasDepositTxs = savings.some((d) => (d.transactions ?? []).length > 0) && plan.steps.has("depositTransaction");
  const hasSettlementOpenings = settlementOpenings.length > 0 && plan.steps.has("settlementOpening");
  const hasDocuments = documents.length > 0 && plan.steps.has("document");
  const owners = new Set(documents.map((d) => `${d.ownerType}:${d.ownerId}`)).size;
  const checks = METRICS.filter((m) => (m === "groupRoles" ? groupRoles > 0 : m === "documents" ? hasDocuments : m === "adjustedCount" ? adjustments > 0 && plan.steps.has("adjustment") : m === "settlements" ? hasSettlementOpenings : DEPOSIT_TX_METRICS.has(m) ? hasDepositTxs : m === "deposits" || m === "depositBalance" ? hasDeposits : plan.steps.has("loan") || m === "holders")).map((m) => ({ metric: m, ...RECONCILE[m], total: "" }));
  const totals = new Map<string, string>();
  for (const u of book.units) {
    const f = sourceFigures(u, plan);
    for (const m of METRICS) totals.set(m, f[m].plus(totals.get(m) ?? "0").toString());
  }
  for (const c of checks) c.total = totals.get(c.metric) ?? "0";

  return {
    kind: "mambu-migrate onboarding pack",
    version: 1,
    plan: { id: plan.id, file: basename(plan.file), ...(plan.spec.description ? { description: plan.spec.description } : {}) },
    tenantReads:
      "reference data only, as --check does (branches, centres, users, loan and deposit products, custom field sets, and holders outside the plan): GET requests; nothing is written, no journal is kept",
    volumes: { rows: { ...book.rowCounts } as Record<string, number>, entities, steps: stepCounts, skippedRows: book.skipped.reduce((n, s) => n + s.rows.length, 0) },
    steps: STEP_NAMES.filter((s) => (stepCounts[s] ?? 0) > 0).map((s) => ({ step: s, count: stepCounts[s], what: STEP_WHAT[s] })),
    samples,
    calls: { clients: fast.clients, units: book.units.length, default: def, earlier, saved: earlier.total - def.total, bulk: bulkOf(plan, book) },
    durations: rates.map((r) => ({ ...r, defaultSeconds: Math.ceil(def.total / r.perSecond), earlierSeconds: Math.ceil(earlier.total / r.perSecond) })),
    reconciliation: {
      checks,
      requests: [
        "GET /api/clients/{id} (or /api/groups/{id})",
        "GET /api/loans/{id}",
        "GET /api/loans/{id}/transactions",
        ...(hasDeposits || hasSettlementOpenings ? ["GET /api/deposits/{id}"] : []),
        ...(hasDepositTxs ? ["GET /api/deposits/{id}/transactions"] : []),
        ...(hasDocuments ? ["GET /api/documents/documentsMetadata?entity=&ownerKey="] : []),
      ],
      requestCount: book.units.length + 2 * loans.length + savings.length + (hasDepositTxs ? savings.filter((d) => (d.transactions ?? []).length > 0).length : 0) + (hasSettlementOpenings ? settlementOpenings.length : 0) + (hasDocuments ? owners : 0),
      report: "with --reconcile: source and tenant figures per client or group and in total, the differing units on stdout and in report.json (--report)",
    },
    personalData: {
      columns: personalColumns,
      note: "The samples' personal fields are masked as [redacted]; no personal value of the source and no credential is in this pack. The migration itself handles personal data and credentials: GDPR applies.",
    },
  };
}

/** Why a pack may not be written in `dir` without `force` (it holds one already), if it may not. */
export function packRefusal(dir: string): string | undefined {
  const present = PACK_FILES.map((f) => join(dir, f)).filter((p) => existsSync(p));
  if (!present.length) return undefined;
  return `${present.join(" and ")} already ${present.length === 1 ? "exists" : "exist"}: choose another --pack directory, or --force to replace the pack`;
}

/**
 * Writes `pack.md` and `pack.json` into `dir` (created if needed); refuses a directory that holds a
 * pack already unless `force`. Each file is written to a temporary name and renamed. Every personal
 * value of the book (4 characters or more) that the text would still hold is withheld (a last net
 * under the masking).
 */
export function writePack(dir: string, pack: Pack, book: Book, force = false): string[] {
  const paths = PACK_FILES.map((f) => join(dir, f));
  const refused = force ? undefined : packRefusal(dir);
  if (refused) throw new WorkdirError(refused, dir);
  // (short values — an age, an initial — would hit the pack's own counts: the masking of the samples covers them)
  const values = personalValues(
    book.units.flatMap((u) => u.rows),
    book.personal,
  ).filter((v) => v.length >= 4);
  const net = personalMatcher(values);
  const texts = [renderPack(pack), `${exactJson(pack)}\n`].map((t) => (net ? t.replace(net, "(withheld)") : t));
  try {
    mkdirSync(dir, { recursive: true });
    paths.forEach((p, i) => {
      const tmp = `${p}.${process.pid}.tmp`;
      writeFileSync(tmp, texts[i]);
      renameSync(tmp, p);
    });
  } catch (e) {
    throw new WorkdirError(`cannot write the pack in ${dir}: ${(e as Error).message}`, dir, (e as NodeJS.ErrnoException).code);
  }
  return paths;
}
