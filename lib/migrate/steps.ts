/**
 * The steps of one unit (a client or group and its loans), in the order of seed 002: holder creation,
 * loan creation, approval, settlement account link, schedule edit, disbursement, fees and repayments.
 *
 * Each step is exactly-once three ways: a step the journal records as done is skipped without a
 * request; otherwise the tenant is asked first (client, group, loan and deposit by their source ids,
 * loan state for approval, disbursement and schedule, the loan's transactions by `externalId`) and
 * what is already there is adopted; and every write carries a deterministic `Idempotency-Key`, so a
 * retry, or a rerun that Mambu still remembers, is replayed rather than applied twice.
 *
 * Requests go through `MambuConnector.request` (one request per write: the ORM's operations re-read
 * the account after each write, which would double the requests of a migration under rate limits).
 * Bodies are serialised with `stringifyExact`, so amounts keep the source's digits.
 */
import { MambuError } from "../errors";
import { parseJsonExact, stringifyExact } from "../core/json";
import type { MambuConnector } from "../transport";
import { encodeSegment } from "../transport";
import { idempotencyKey, rowKey } from "./keys";
import type { Journal, StepRecord } from "./journal";
import { getAllPages, getRecord } from "./tenant";
import type { LoanPlan, Plan, StepName, TxPlan, Unit } from "./types";

type Rec = Record<string, unknown>;

/** How a step ended: written by this run, found already in the tenant, or skipped because the journal has it. */
export type StepOutcome = "created" | "adopted" | "journal";

/** What the steps need from the runner. */
export interface StepContext {
  conn: MambuConnector;
  plan: Plan;
  journal: Journal;
  /** The encodedKey of a client by id: waits for the plan's unit, or knows it from validation. */
  clientKey(id: string): Promise<string>;
  /** Called after each step. */
  onStep(unit: Unit, step: StepName, outcome: StepOutcome): void;
}

/** A step that failed: which step of which row, and why. */
export class StepError extends Error {
  constructor(
    readonly step: StepName,
    readonly where: string,
    cause: unknown,
  ) {
    super(`${step} ${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "StepError";
  }
}

const DISBURSED = new Set(["ACTIVE", "ACTIVE_IN_ARREARS", "CLOSED", "CLOSED_WRITTEN_OFF"]);

const reasonOf = (e: unknown): string | undefined => (e instanceof MambuError ? e.errorReason : undefined);
const enc = encodeSegment;

async function post(ctx: StepContext, path: string, body: unknown, row: string, step: string, part = ""): Promise<Rec | undefined> {
  const res = await ctx.conn.request<Rec>({
    method: "POST",
    path,
    bodyText: stringifyExact(body),
    idempotencyKey: idempotencyKey(ctx.plan.id, row, step, part),
    parse: parseJsonExact,
  });
  return res.body;
}

/** Runs one step unless the journal has it; records it when done. */
async function step(
  ctx: StepContext,
  unit: Unit,
  row: string,
  name: StepName,
  where: string,
  run: () => Promise<{ status: "created" | "adopted"; key?: string }>,
): Promise<StepRecord | { status: "created" | "adopted"; key?: string; fresh: true }> {
  const done = ctx.journal.step(row, name);
  if (done) {
    ctx.onStep(unit, name, "journal");
    return done;
  }
  let r: { status: "created" | "adopted"; key?: string };
  try {
    r = await run();
  } catch (e) {
    throw e instanceof StepError ? e : new StepError(name, where, e);
  }
  await ctx.journal.recordStep({ unit: unit.key, row, step: name, status: r.status, key: r.key });
  ctx.onStep(unit, name, r.status);
  return { ...r, fresh: true };
}

/** Creates (or adopts) a record by id: GET → 404 → POST; an "id in use" answer to the POST adopts too. */
async function createOrAdopt(ctx: StepContext, coll: string, id: string, body: () => Promise<Rec> | Rec, row: string, step: string, inUse: string, part = ""): Promise<{ status: "created" | "adopted"; record: Rec }> {
  const path = `/${coll}/${enc(id)}`;
  const existing = await getRecord(ctx.conn, path);
  if (existing) return { status: "adopted", record: existing };
  try {
    const created = await post(ctx, `/${coll}`, await body(), row, step, part);
    if (!created || typeof created.encodedKey !== "string") throw new Error(`POST /${coll} answered without an encodedKey`);
    return { status: "created", record: created };
  } catch (e) {
    if (reasonOf(e) === inUse) {
      const again = await getRecord(ctx.conn, path);
      if (again) return { status: "adopted", record: again };
    }
    throw e;
  }
}

/** The holder step: creates or adopts the client or group; resolves its encodedKey. */
export async function holderStep(ctx: StepContext, unit: Unit): Promise<string> {
  const isGroup = unit.kind === "group";
  const coll = isGroup ? "groups" : "clients";
  const row = isGroup ? rowKey.group(unit.id) : rowKey.client(unit.id);
  const name: StepName = isGroup ? "group" : "client";
  const where = `${unit.kind} ${unit.id}${unit.row ? ` (${unit.row.file}:${unit.row.line})` : ""}`;
  if (!unit.create || !ctx.plan.steps.has(name)) {
    const rec = await getRecord(ctx.conn, `/${coll}/${enc(unit.id)}`).catch((e) => {
      throw new StepError(name, where, e);
    });
    if (!rec) throw new StepError(name, where, new Error(`${unit.kind} ${unit.id} is not in the tenant`));
    return String(rec.encodedKey);
  }
  const r = await step(ctx, unit, row, name, where, async () => {
    const res = await createOrAdopt(
      ctx,
      coll,
      unit.id,
      async () => {
        for (const l of unit.links) l.set(await ctx.clientKey(l.clientId));
        const body = structuredCloneExact(unit.body ?? {});
        if (isGroup) body.groupMembers = await Promise.all(unit.members.map(async (m) => ({ clientKey: await ctx.clientKey(m) })));
        return body;
      },
      row,
      name,
      isGroup ? "GROUP_ID_ALREADY_IN_USE" : "CLIENT_ID_ALREADY_IN_USE",
    );
    return { status: res.status, key: String(res.record.encodedKey) };
  });
  if (r.key) return r.key;
  const rec = await getRecord(ctx.conn, `/${coll}/${enc(unit.id)}`);
  if (!rec) throw new StepError(name, where, new Error(`the journal says ${unit.kind} ${unit.id} was migrated, but the tenant does not have it`));
  return String(rec.encodedKey);
}

/** A deep copy that keeps RawNumbers (exact amounts) as they are. */
function structuredCloneExact<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => structuredCloneExact(x)) as unknown as T;
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Rec).map(([k, x]) => [k, structuredCloneExact(x)])) as T;
  }
  return v;
}

/** What the steps of one loan know about it as they go. */
interface LoanState {
  plan: LoanPlan;
  key?: string;
  record?: Rec;
  /** Created by this run: it has no transaction this run did not post. */
  fresh: boolean;
  /** externalId → encodedKey of the loan's transactions in the tenant (fetched once, when not fresh). */
  txs?: Map<string, string>;
}

async function loanRecord(ctx: StepContext, s: LoanState): Promise<Rec> {
  if (!s.record) {
    const rec = await getRecord(ctx.conn, `/loans/${enc(s.plan.id)}`);
    if (!rec) throw new Error(`loan ${s.plan.id} is not in the tenant`);
    s.record = rec;
    s.key = String(rec.encodedKey);
  }
  return s.record;
}

const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((x, k) => (x && typeof x === "object" ? (x as Rec)[k] : undefined), o);
const isDisbursed = (rec: Rec): boolean => DISBURSED.has(String(rec.accountState)) || typeof get(rec, "disbursementDetails", "disbursementDate") === "string";

/** Runs every step of one loan. */
export async function loanSteps(ctx: StepContext, unit: Unit, loan: LoanPlan, holderKey: string): Promise<void> {
  const s = ctx.plan.steps;
  const row = rowKey.loan(loan.id);
  const at = `loan ${loan.id} (${loan.row.file}:${loan.row.line})`;
  const st: LoanState = { plan: loan, fresh: false };

  if (s.has("loan")) {
    const r = await step(ctx, unit, row, "loan", at, async () => {
      const res = await createOrAdopt(ctx, "loans", loan.id, () => ({ ...structuredCloneExact(loan.body), accountHolderKey: holderKey }), row, "loan", "ACCOUNT_ID_ALREADY_IN_USE");
      if (res.status === "adopted" && res.record.accountHolderKey !== holderKey) {
        throw new Error(`loan ${loan.id} exists in the tenant for another account holder (${String(res.record.accountHolderKey)})`);
      }
      st.record = res.record;
      st.fresh = res.status === "created";
      return { status: res.status, key: String(res.record.encodedKey) };
    });
    st.key = r.key;
  }

  if (loan.approve && s.has("approve")) {
    await step(ctx, unit, row, "approve", at, async () => {
      const rec = await loanRecord(ctx, st);
      let state = String(rec.accountState);
      if (state === "PARTIAL_APPLICATION") {
        st.record = (await post(ctx, `/loans/${enc(loan.id)}:changeState`, { action: "REQUEST_APPROVAL" }, row, "approve", "request")) ?? { ...rec, accountState: "PENDING_APPROVAL" };
        state = String(st.record.accountState);
      }
      if (state !== "PENDING_APPROVAL") {
        if (state === "APPROVED" || DISBURSED.has(state)) return { status: "adopted" };
        throw new Error(`loan ${loan.id} is ${state}: it cannot be approved`);
      }
      const answer = await post(ctx, `/loans/${enc(loan.id)}:changeState`, loan.approve!.body, row, "approve");
      st.record = answer && typeof answer.accountState === "string" ? answer : { ...rec, accountState: "APPROVED" };
      return { status: "created" };
    });
  }

  if (loan.settlement && s.has("settlement")) {
    const sett = loan.settlement;
    await step(ctx, unit, row, "settlement", `${at}, settlement account ${sett.id}`, async () => {
      let wrote = false;
      const dep = await createOrAdopt(
        ctx,
        "deposits",
        sett.id,
        () => ({ ...structuredCloneExact(sett.body), accountHolderKey: holderKey, accountHolderType: loan.holderType }),
        row,
        "settlement",
        "ACCOUNT_ID_ALREADY_IN_USE",
        "create",
      );
      if (dep.status === "created") wrote = true;
      else if (dep.record.accountHolderKey !== holderKey) throw new Error(`deposit ${sett.id} exists in the tenant for another account holder`);
      if (dep.record.accountState === "PENDING_APPROVAL") {
        await post(ctx, `/deposits/${enc(sett.id)}:changeState`, { action: "APPROVE" }, row, "settlement", "approve");
        wrote = true;
      }
      const depKey = String(dep.record.encodedKey);
      const rec = await loanRecord(ctx, st);
      if (rec.settlementAccountKey !== depKey) {
        const op = rec.settlementAccountKey === undefined || rec.settlementAccountKey === null ? "ADD" : "REPLACE";
        await ctx.conn.request({
          method: "PATCH",
          path: `/loans/${enc(loan.id)}`,
          bodyText: JSON.stringify([{ op, path: "/settlementAccountKey", value: depKey }]),
          idempotencyKey: idempotencyKey(ctx.plan.id, row, "settlement", "link"),
        });
        st.record = { ...rec, settlementAccountKey: depKey };
        wrote = true;
      }
      return { status: wrote ? "created" : "adopted", key: depKey };
    });
  }

  if (loan.schedule && s.has("schedule")) {
    await step(ctx, unit, row, "schedule", at, async () => {
      const rec = await loanRecord(ctx, st);
      const custom = get(rec, "scheduleSettings", "hasCustomSchedule") === true;
      if (custom) return { status: "adopted" };
      if (isDisbursed(rec)) throw new Error(`loan ${loan.id} was disbursed without its edited schedule (a schedule is edited before disbursement)`);
      await ctx.conn.request({
        method: "PUT",
        path: `/loans/${enc(loan.id)}/schedule`,
        bodyText: stringifyExact({ installments: loan.schedule!.installments }),
        idempotencyKey: idempotencyKey(ctx.plan.id, row, "schedule"),
        parse: parseJsonExact,
      });
      st.record = { ...rec, scheduleSettings: { ...((rec.scheduleSettings as Rec) ?? {}), hasCustomSchedule: true } };
      return { status: "created" };
    });
  }

  if (loan.disburse && s.has("disburse")) {
    await step(ctx, unit, row, "disburse", at, async () => {
      const rec = await loanRecord(ctx, st);
      if (isDisbursed(rec)) return { status: "adopted" };
      if (rec.accountState !== "APPROVED") throw new Error(`loan ${loan.id} is ${String(rec.accountState)}: only an approved loan can be disbursed`);
      const tx = await post(ctx, `/loans/${enc(loan.id)}/disbursement-transactions`, loan.disburse!.body, row, "disburse");
      st.record = { ...rec, accountState: "ACTIVE", disbursementDetails: { ...((rec.disbursementDetails as Rec) ?? {}), disbursementDate: loan.disburse!.valueDate } };
      return { status: "created", key: tx && typeof tx.encodedKey === "string" ? tx.encodedKey : undefined };
    });
  }

  for (const tx of loan.transactions) {
    if (!s.has(tx.kind)) continue;
    await step(ctx, unit, tx.key, tx.kind, `${tx.externalId} of loan ${loan.id} (${tx.row.file}:${tx.row.line})`, () => postTransaction(ctx, st, tx));
  }
}

/** Posts a fee or repayment unless the loan already has a transaction with its externalId. */
async function postTransaction(ctx: StepContext, st: LoanState, tx: TxPlan): Promise<{ status: "created" | "adopted"; key?: string }> {
  const loanId = st.plan.id;
  if (!st.fresh && !st.txs) {
    const list = await getAllPages(ctx.conn, `/loans/${enc(loanId)}/transactions`);
    st.txs = new Map(list.filter((t) => typeof t.externalId === "string").map((t) => [String(t.externalId), String(t.encodedKey)]));
  }
  const existing = st.txs?.get(tx.externalId);
  if (existing) return { status: "adopted", key: existing };
  const suffix = tx.kind === "fee" ? "fee-transactions" : "repayment-transactions";
  try {
    const answer = await post(ctx, `/loans/${enc(loanId)}/${suffix}`, tx.body, tx.key, tx.kind);
    const key = answer && typeof answer.encodedKey === "string" ? answer.encodedKey : undefined;
    st.txs?.set(tx.externalId, key ?? "");
    return { status: "created", key };
  } catch (e) {
    // a transaction posted by a request whose answer was lost, then refused as a duplicate: adopt it
    if (e instanceof MambuError && e.status !== undefined && e.status < 500) {
      const list = await getAllPages(ctx.conn, `/loans/${enc(loanId)}/transactions`).catch(() => []);
      const found = list.find((t) => t.externalId === tx.externalId);
      if (found) return { status: "adopted", key: String(found.encodedKey) };
    }
    throw e;
  }
}
