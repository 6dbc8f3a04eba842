/**
 * The steps of one unit (a client or group and its loans), in the order of seed 002: holder creation,
 * loan creation, approval, settlement account link, schedule edit, disbursement, fees and repayments.
 *
 * Each step is exactly-once three ways: a step the journal records as done is skipped without a
 * request; otherwise, for a unit the journal cannot tell was never sent anything (a resumed unit, a
 * rerun replacing an earlier journal), the tenant is asked first (client, group, loan and deposit by
 * their source ids, loan state for approval, disbursement and schedule, the loan's transactions by
 * `externalId`) and what is already there is adopted; and every write carries a deterministic
 * `Idempotency-Key`, so a retry, or a rerun that Mambu still remembers, is replayed rather than
 * applied twice. A unit the journal knows was never sent anything (`Journal.untouched`: most units of
 * a first run) is created without the look-ups — the fewest calls: one request per write — and an
 * "id already in use" answer then adopts the record by the same rule as a look-up would (a loan or
 * deposit of another holder fails the unit, saying so).
 *
 * The steps are written with the ORM's public API, as a user's own migration script would be (README
 * "Writing many records"): `find(id)` to adopt, `create()` and the loan and deposit operations with
 * the step's idempotency key and `reread: false` — one request per write, Mambu's answer taken as the
 * new state. Bodies keep the source's exact amounts (`RawNumber`s are sent as they are).
 */
import { MambuError, MambuTsError } from "../errors";
import { attachDocument, getAttachmentsMetadata, MambuDocument } from "../core/attachments";
import type { EntityClass } from "../core/entity";
import { MambuClient, MambuDeposit, MambuGroup, MambuLoan } from "../index";
import type { Amount, DepositOptions, MambuDepositTransaction, MambuTransaction, WithdrawalOptions, DisburseOptions, InstallmentInput, LoanAction, LoanAdjustOptions, LoanFeeOptions, LoanInterestOptions, MambuEntity, RepayOptions } from "../index";
import type { MambuConnector } from "../transport";
import { idempotencyKey, rowKey } from "./keys";
import type { Journal, StepRecord } from "./journal";
import type { DepositPlan, DocumentPlan, LoanPlan, OpeningPlan, Plan, StepName, TxPlan, Unit } from "./types";

type Rec = Record<string, unknown>;

/** How a step ended: written by this run, found already in the tenant, or skipped because the journal has it. */
export type StepOutcome = "created" | "adopted" | "journal";

/** What the steps need from the runner. */
export interface StepContext {
  conn: MambuConnector;
  plan: Plan;
  journal: Journal;
  /** The tenant's UTC offset (`+02:00`): the time of day of a schedule's due dates is midnight there. */
  offset?: string;
  /** The encodedKey of a client by id: waits for the plan's unit, or knows it from validation. */
  clientKey(id: string): Promise<string>;
  /** Called after each step. */
  onStep(unit: Unit, step: StepName, outcome: StepOutcome): void;
  /** Whether the unit's records are created without a look-up first (the journal knows it was never sent anything). */
  direct?(unit: Unit): boolean;
  /** Fold the settlement link into the loan's creation (default true). */
  fold?: boolean;
  /** Called after each write Mambu accepted (the report's writes count: the floor of the requests). */
  onWrite?(): void;
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

/** The encodedKey of an entity Mambu answered with (never absent for a record Mambu holds). */
function keyOf(e: MambuEntity, what: string): string {
  const key = (e as unknown as Rec).encodedKey;
  if (typeof key !== "string" || key === "") throw new Error(`Mambu answered ${what} without an encodedKey`);
  return key;
}

/**
 * Runs one step unless the journal has it; records it when done. The step's line is not waited for:
 * it is synced with the lines of the other units under way (group commit) while this unit's next
 * request goes out — pipelined. Exactly-once does not rest on it: a unit's `begin` line is on disk
 * before its first request, so a crash that loses the last lines of a unit leaves it touched, and
 * the steps without a line are looked up in the tenant on resume (adopted, with their keys); the
 * lines of a unit are written in order (a crash keeps a prefix of them), and its `unit` line, awaited
 * by the runner, is on disk only after all of them. A journal that could not be written stops the
 * unit before its next request.
 */
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
  // a journal that failed (a full disk) stops the run: nothing more is sent
  if (ctx.journal.failed) throw ctx.journal.failed;
  let r: { status: "created" | "adopted"; key?: string };
  try {
    r = await run();
  } catch (e) {
    throw e instanceof StepError ? e : new StepError(name, where, e);
  }
  // not awaited (see above); a write that fails sets journal.failed, which stops the unit and the run
  ctx.journal.recordStep({ unit: unit.key, row, step: name, status: r.status, key: r.key }).catch(() => undefined);
  ctx.onStep(unit, name, r.status);
  return { ...r, fresh: true };
}

/** The records each unit's steps created in this run (`MambuLoan:L1`): they hold nothing this run did not put there. */
const createdHere = new WeakMap<Unit, Set<string>>();

/**
 * Adopts the record with the source's id (`find`), or creates it (`create()` with the step's
 * idempotency key); an "id in use" answer to the creation (another run got there first) adopts too.
 * For a unit created directly (`ctx.direct`) the `find` is left out: the creation is sent at once
 * and only its "id in use" answer leads to the `find` (the caller's rules for adopting then apply).
 */
async function findOrCreate<T extends MambuEntity>(
  ctx: StepContext,
  unit: Unit,
  cls: EntityClass<T>,
  id: string,
  fields: () => Promise<Rec> | Rec,
  key: string,
  inUse: string,
): Promise<{ status: "created" | "adopted"; entity: T }> {
  const connector = ctx.conn;
  if (ctx.direct?.(unit) !== true) {
    const existing = await cls.find(id, { connector });
    if (existing) return { status: "adopted", entity: existing };
  }
  try {
    const entity = new cls(await fields());
    await entity.create({ idempotencyKey: key, connector });
    ctx.onWrite?.();
    keyOf(entity, `the created ${cls.name}`);
    if (!createdHere.has(unit)) createdHere.set(unit, new Set());
    createdHere.get(unit)!.add(`${cls.name}:${id}`);
    return { status: "created", entity };
  } catch (e) {
    if (reasonOf(e) === inUse) {
      const again = await cls.find(id, { connector });
      if (again) return { status: "adopted", entity: again };
    }
    throw e;
  }
}

/** The holder step: creates or adopts the client or group; resolves its encodedKey. */
export async function holderStep(ctx: StepContext, unit: Unit): Promise<string> {
  const isGroup = unit.kind === "group";
  const cls: EntityClass = isGroup ? MambuGroup : MambuClient;
  const row = isGroup ? rowKey.group(unit.id) : rowKey.client(unit.id);
  const name: StepName = isGroup ? "group" : "client";
  const where = `${unit.kind} ${unit.id}${unit.row ? ` (${unit.row.file}:${unit.row.line})` : ""}`;
  if (!unit.create || !ctx.plan.steps.has(name)) {
    const found = await cls.find(unit.id, { connector: ctx.conn }).catch((e: unknown) => {
      throw new StepError(name, where, e);
    });
    if (!found) throw new StepError(name, where, new Error(`${unit.kind} ${unit.id} is not in the tenant`));
    return keyOf(found, `${unit.kind} ${unit.id}`);
  }
  const r = await step(ctx, unit, row, name, where, async () => {
    const res = await findOrCreate(
      ctx,
      unit,
      cls,
      unit.id,
      async () => {
        for (const l of unit.links) l.set(await ctx.clientKey(l.clientId));
        const fields = structuredCloneExact(unit.body ?? {});
        if (isGroup) {
          fields.groupMembers = await Promise.all(
            unit.members.map(async (m) => {
              const roles = unit.memberRoles?.get(m);
              return { clientKey: await ctx.clientKey(m), ...(roles?.length ? { roles: roles.map((r) => ({ ...r })) } : {}) };
            }),
          );
        }
        return fields;
      },
      idempotencyKey(ctx.plan.id, row, name, "", ctx.journal.keyScope),
      isGroup ? "GROUP_ID_ALREADY_IN_USE" : "CLIENT_ID_ALREADY_IN_USE",
    );
    return { status: res.status, key: keyOf(res.entity, `${unit.kind} ${unit.id}`) };
  });
  if (r.key) return r.key;
  const found = await cls.find(unit.id, { connector: ctx.conn });
  if (!found) throw new StepError(name, where, new Error(`the journal says ${unit.kind} ${unit.id} was migrated, but the tenant does not have it`));
  return keyOf(found, `${unit.kind} ${unit.id}`);
}

/** A deep copy that keeps RawNumbers (exact amounts) as they are. */
function structuredCloneExact<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => structuredCloneExact(x)) as unknown as T;
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Rec).map(([k, x]) => [k, structuredCloneExact(x)])) as T;
  }
  return v;
}

/**
 * What the steps of one loan know about it as they go: the loan as last read or answered, and what
 * this run's own writes did when Mambu's answer did not say (operations are not followed by a re-read).
 */
interface LoanState {
  plan: LoanPlan;
  loan?: MambuLoan;
  /** Created by this run: it has no transaction this run did not post. */
  fresh: boolean;
  /** The state this run's last state change left the loan in. */
  accountState?: string;
  disbursed?: boolean;
  customSchedule?: boolean;
  /** externalId → encodedKey of the loan's transactions in the tenant (fetched once, when not fresh). */
  txs?: Map<string, string>;
  /** The settlement account as the settlement step left it, and whether this run created it. */
  settlementAccount?: MambuDeposit;
  settlementFresh?: boolean;
  /** The fees and repayments this run posted, by externalId (what an adjustment reverses). */
  posted?: Map<string, MambuTransaction>;
}

/** The loan: as the loan step left it, else found by its id (the journal had the loan step). */
async function loanOf(ctx: StepContext, s: LoanState): Promise<MambuLoan> {
  if (!s.loan) {
    const found = await MambuLoan.find(s.plan.id, { connector: ctx.conn });
    if (!found) throw new Error(`loan ${s.plan.id} is not in the tenant`);
    s.loan = found;
  }
  return s.loan;
}

const stateOf = (s: LoanState, loan: MambuLoan): string => s.accountState ?? String(loan.accountState);
const isDisbursed = (s: LoanState, loan: MambuLoan): boolean => {
  const date = loan.disbursementDetails?.disbursementDate;
  return s.disbursed === true || DISBURSED.has(stateOf(s, loan)) || (date !== undefined && date !== null);
};

/** Runs every step of one loan. */
export async function loanSteps(ctx: StepContext, unit: Unit, loan: LoanPlan, holderKey: string): Promise<void> {
  const s = ctx.plan.steps;
  const row = rowKey.loan(loan.id);
  const at = `loan ${loan.id} (${loan.row.file}:${loan.row.line})`;
  const st: LoanState = { plan: loan, fresh: false };
  const key = (name: string, part = ""): string => idempotencyKey(ctx.plan.id, row, name, part, ctx.journal.keyScope);

  // the settlement link folded into the loan's creation (POST /loans takes settlementAccountKey): the
  // deposit is created and approved first, so that the loan is created linked, without the PATCH
  // that linked it afterwards. Not when the journal has the loan already (a journal of the earlier
  // order): the link then follows the approval, as it did.
  const settle = loan.settlement && s.has("settlement") ? loan.settlement : undefined;
  // (a journal that has the settlement step but not the loan's was folded: it goes on folded)
  const fold = settle !== undefined && s.has("loan") && !ctx.journal.step(row, "loan") && (ctx.fold !== false || ctx.journal.step(row, "settlement") !== undefined);
  let depKey: string | undefined;
  if (settle && fold) {
    depKey = await settlementStep(ctx, unit, st, settle, holderKey, `${at}, settlement account ${settle.id}`, key, false);
    await settlementOpeningStep(ctx, unit, st, settle, holderKey, at, key);
  }

  if (s.has("loan")) {
    await step(ctx, unit, row, "loan", at, async () => {
      const fields = () => ({ ...structuredCloneExact(loan.body), accountHolderKey: holderKey, ...(depKey ? { settlementAccountKey: depKey } : {}) });
      const res = await findOrCreate(ctx, unit, MambuLoan, loan.id, fields, key("loan"), "ACCOUNT_ID_ALREADY_IN_USE");
      if (res.status === "adopted" && res.entity.accountHolderKey !== holderKey) {
        throw new Error(`loan ${loan.id} exists in the tenant for another account holder (${String(res.entity.accountHolderKey)})`);
      }
      st.loan = res.entity;
      st.fresh = res.status === "created";
      // a loan found rather than created (a run of the earlier order made it), or one Mambu created without
      // taking the settlementAccountKey it was sent (its answer says which): linked now — link() sends nothing
      // when the loan is linked already, so a tenant that honours the fold costs no request
      if (depKey) await link(ctx, st, res.entity, depKey, key);
      return { status: res.status, key: keyOf(res.entity, `loan ${loan.id}`) };
    });
  }

  if (loan.approve && s.has("approve")) {
    const { action, notes } = loan.approve.body as { action: LoanAction; notes?: string };
    await step(ctx, unit, row, "approve", at, async () => {
      const l = await loanOf(ctx, st);
      if (stateOf(st, l) === "PARTIAL_APPLICATION") {
        await l.setState("REQUEST_APPROVAL", undefined, { idempotencyKey: key("approve", "request"), reread: false });
        ctx.onWrite?.();
        st.accountState = "PENDING_APPROVAL";
      }
      const state = stateOf(st, l);
      if (state !== "PENDING_APPROVAL") {
        if (state === "APPROVED" || DISBURSED.has(state)) return { status: "adopted" };
        throw new Error(`loan ${loan.id} is ${state}: it cannot be approved`);
      }
      await l.setState(action, notes, { idempotencyKey: key("approve"), reread: false });
      ctx.onWrite?.();
      st.accountState = "APPROVED";
      return { status: "created" };
    });
  }

  if (settle && !fold) {
    await settlementStep(ctx, unit, st, settle, holderKey, `${at}, settlement account ${settle.id}`, key, true);
    await settlementOpeningStep(ctx, unit, st, settle, holderKey, at, key);
  }

  if (loan.schedule && s.has("schedule")) {
    const installments = loan.schedule.installments;
    await step(ctx, unit, row, "schedule", at, async () => {
      const l = await loanOf(ctx, st);
      if (st.customSchedule || l.scheduleSettings?.hasCustomSchedule === true) return { status: "adopted" };
      if (isDisbursed(st, l)) throw new Error(`loan ${loan.id} was disbursed without its edited schedule (a schedule is edited before disbursement)`);
      await l.editSchedule(installments.map((i) => wireInstallment(i, ctx.offset)), { idempotencyKey: key("schedule"), reread: false });
      ctx.onWrite?.();
      st.customSchedule = true;
      return { status: "created" };
    });
  }

  if (loan.disburse && s.has("disburse")) {
    const body = loan.disburse.body;
    await step(ctx, unit, row, "disburse", at, async () => {
      const l = await loanOf(ctx, st);
      if (isDisbursed(st, l)) return { status: "adopted" };
      const state = stateOf(st, l);
      if (state !== "APPROVED") throw new Error(`loan ${loan.id} is ${state}: only an approved loan can be disbursed`);
      // exactly the plan's fields: what the plan leaves out is Mambu's to decide (null), not the loan's
      const opts = { firstRepaymentDate: null, ...structuredCloneExact(body), idempotencyKey: key("disburse"), reread: false } as DisburseOptions;
      const tx = await l.disburse(opts);
      ctx.onWrite?.();
      st.accountState = "ACTIVE";
      st.disbursed = true;
      return { status: "created", key: typeof tx.encodedKey === "string" ? tx.encodedKey : undefined };
    });
  }

  for (const tx of loan.transactions) {
    if (!s.has(tx.kind)) continue;
    await step(ctx, unit, tx.key, tx.kind, `${tx.externalId} of loan ${loan.id} (${tx.row.file}:${tx.row.line})`, () => postTransaction(ctx, st, tx));
  }
}

/**
 * Posts deposits and withdrawals on one deposit account exactly once: unless the account has a
 * transaction with the externalId already — its transactions read once, and not at all for an
 * account this run created (`fresh`) — and, when Mambu refuses a post whose earlier answer was lost,
 * by finding it then.
 */
function depositPoster(
  ctx: StepContext,
  accountOf: () => Promise<MambuDeposit>,
  fresh: () => boolean,
): (externalId: string, write: (acc: MambuDeposit) => Promise<MambuDepositTransaction>) => Promise<{ status: "created" | "adopted"; key?: string }> {
  /** externalId → encodedKey of the account's transactions in the tenant. */
  let txs: Map<string, string> | undefined;
  const posted = async (acc: MambuDeposit, again = false): Promise<Map<string, string>> => {
    if (fresh() && !again) return (txs ??= new Map());
    if (!txs || again) {
      const found = new Map<string, string>();
      for await (const t of acc.getTransactions()) if (typeof t.externalId === "string") found.set(t.externalId, String(t.encodedKey));
      txs = found;
    }
    return txs;
  };
  return async (externalId, write) => {
    const acc = await accountOf();
    const existing = (await posted(acc)).get(externalId);
    if (existing) return { status: "adopted", key: existing };
    try {
      const tx = await write(acc);
      ctx.onWrite?.();
      const key = typeof tx.encodedKey === "string" ? tx.encodedKey : undefined;
      txs?.set(externalId, key ?? "");
      return { status: "created", key };
    } catch (e) {
      // posted by a request whose answer was lost, then refused as a duplicate: adopt it
      if (e instanceof MambuError && e.status !== undefined && e.status < 500) {
        const found = (await posted(acc, true).catch(() => new Map<string, string>())).get(externalId);
        if (found) return { status: "adopted", key: found };
      }
      throw e;
    }
  };
}

/** The opening deposit of an account (standalone or settlement), tagged with its externalId. */
const openingDeposit = (opening: OpeningPlan, idempotencyKey: string) => (acc: MambuDeposit): Promise<MambuDepositTransaction> =>
  acc.deposit(opening.amount, {
    valueDate: opening.valueDate,
    externalId: opening.externalId,
    ...(opening.notes ? { notes: opening.notes } : {}),
    idempotencyKey,
    reread: false,
  } as DepositOptions);

/**
 * The steps of one standalone deposit account: `deposit` creates (or adopts) it and approves it —
 * one journaled step with a key per request, resumed by the account's state — and `opening` posts
 * the opening balance as a deposit on the opening date, tagged with its `mig-` externalId: a rerun
 * or a resumed unit finds it among the account's transactions instead of posting it twice.
 */
export async function depositSteps(ctx: StepContext, unit: Unit, dep: DepositPlan, holderKey: string): Promise<void> {
  const s = ctx.plan.steps;
  const row = rowKey.deposit(dep.id);
  const at = `deposit ${dep.id} (${dep.row.file}:${dep.row.line})`;
  const key = (name: string, part = ""): string => idempotencyKey(ctx.plan.id, row, name, part, ctx.journal.keyScope);
  let account: MambuDeposit | undefined;
  let fresh = false;
  if (s.has("deposit")) {
    await step(ctx, unit, row, "deposit", at, async () => {
      let wrote = false;
      const res = await findOrCreate(
        ctx,
        unit,
        MambuDeposit,
        dep.id,
        () => ({ ...structuredCloneExact(dep.body), accountHolderKey: holderKey, accountHolderType: dep.holderType }),
        key("deposit", "create"),
        "ACCOUNT_ID_ALREADY_IN_USE",
      );
      if (res.status === "created") wrote = true;
      else if (res.entity.accountHolderKey !== holderKey) throw new Error(`deposit ${dep.id} exists in the tenant for another account holder (${String(res.entity.accountHolderKey)})`);
      if (res.entity.accountState === "PENDING_APPROVAL") {
        await res.entity.approve(undefined, { idempotencyKey: key("deposit", "approve"), reread: false });
        ctx.onWrite?.();
        wrote = true;
      }
      account = res.entity;
      fresh = res.status === "created";
      return { status: wrote ? "created" : "adopted", key: keyOf(res.entity, `deposit ${dep.id}`) };
    });
  }
  /** The account: as the deposit step left it, else found by its id (the journal had the deposit step). */
  const accountOf = async (): Promise<MambuDeposit> => {
    if (!account) {
      const found = await MambuDeposit.find(dep.id, { connector: ctx.conn });
      if (!found) throw new Error(`deposit ${dep.id} is not in the tenant`);
      if (found.accountHolderKey !== holderKey) throw new Error(`deposit ${dep.id} exists in the tenant for another account holder (${String(found.accountHolderKey)})`);
      account = found;
    }
    return account;
  };
  const post = depositPoster(ctx, accountOf, () => fresh);
  const opening = dep.opening;
  if (opening && s.has("opening")) {
    await step(ctx, unit, row, "opening", `the opening balance of ${at}`, () => post(opening.externalId, openingDeposit(opening, key("opening"))));
  }
  if (!s.has("depositTransaction")) return;
  for (const tx of dep.transactions ?? []) {
    const txKey = idempotencyKey(ctx.plan.id, tx.key, "depositTransaction", "", ctx.journal.keyScope);
    const opts = { valueDate: tx.valueDate, externalId: tx.externalId, ...(tx.notes ? { notes: tx.notes } : {}), idempotencyKey: txKey, reread: false };
    await step(ctx, unit, tx.key, "depositTransaction", `${tx.type.toLowerCase()} ${tx.externalId} of ${at} (${tx.row.file}:${tx.row.line})`, () =>
      post(tx.externalId, (acc) => (tx.type === "DEPOSIT" ? acc.deposit(tx.amount, opts as DepositOptions) : acc.withdrawal(tx.amount, opts as WithdrawalOptions))),
    );
  }
}

/**
 * The settlement step: creates (or adopts) the settlement deposit and approves it; with `linkNow`,
 * also links it to the loan (PATCH), else the loan step creates the loan linked. Resolves the
 * deposit's encodedKey (from the journal when it has the step; always when not `linkNow`).
 */
async function settlementStep(
  ctx: StepContext,
  unit: Unit,
  st: LoanState,
  sett: NonNullable<LoanPlan["settlement"]>,
  holderKey: string,
  where: string,
  key: (name: string, part?: string) => string,
  linkNow: boolean,
): Promise<string | undefined> {
  const loan = st.plan;
  const r = await step(ctx, unit, rowKey.loan(loan.id), "settlement", where, async () => {
    let wrote = false;
    const dep = await findOrCreate(
      ctx,
      unit,
      MambuDeposit,
      sett.id,
      () => ({ ...structuredCloneExact(sett.body), accountHolderKey: holderKey, accountHolderType: loan.holderType }),
      key("settlement", "create"),
      "ACCOUNT_ID_ALREADY_IN_USE",
    );
    if (dep.status === "created") wrote = true;
    else if (dep.entity.accountHolderKey !== holderKey) throw new Error(`deposit ${sett.id} exists in the tenant for another account holder`);
    st.settlementAccount = dep.entity;
    st.settlementFresh = dep.status === "created";
    if (dep.entity.accountState === "PENDING_APPROVAL") {
      await dep.entity.approve(undefined, { idempotencyKey: key("settlement", "approve"), reread: false });
      ctx.onWrite?.();
      wrote = true;
    }
    const depKey = keyOf(dep.entity, `deposit ${sett.id}`);
    if (linkNow && (await link(ctx, st, await loanOf(ctx, st), depKey, key))) wrote = true;
    return { status: wrote ? "created" : "adopted", key: depKey };
  });
  if (!r.key && !linkNow) throw new StepError("settlement", where, new Error(`the journal records the settlement account ${sett.id} without its encodedKey`));
  return r.key;
}

/**
 * The settlementOpening step: the settlement account's opening balance deposited on its opening date,
 * tagged with its `mig-` externalId (looked for among the account's transactions unless this run
 * created the account), right after the settlement step.
 */
async function settlementOpeningStep(
  ctx: StepContext,
  unit: Unit,
  st: LoanState,
  sett: NonNullable<LoanPlan["settlement"]>,
  holderKey: string,
  at: string,
  key: (name: string, part?: string) => string,
): Promise<void> {
  const opening = sett.opening;
  if (!opening || !ctx.plan.steps.has("settlementOpening")) return;
  const accountOf = async (): Promise<MambuDeposit> => {
    if (!st.settlementAccount) {
      const found = await MambuDeposit.find(sett.id, { connector: ctx.conn });
      if (!found) throw new Error(`deposit ${sett.id} is not in the tenant`);
      if (found.accountHolderKey !== holderKey) throw new Error(`deposit ${sett.id} exists in the tenant for another account holder`);
      st.settlementAccount = found;
    }
    return st.settlementAccount;
  };
  const post = depositPoster(ctx, accountOf, () => st.settlementFresh === true);
  await step(ctx, unit, rowKey.loan(st.plan.id), "settlementOpening", `the opening balance of ${at}, settlement account ${sett.id}`, () =>
    post(opening.externalId, openingDeposit(opening, key("settlementOpening"))),
  );
}

/** Links the settlement deposit to the loan unless it is linked already (PATCH); whether it wrote. */
async function link(ctx: StepContext, st: LoanState, l: MambuLoan, depKey: string, key: (name: string, part?: string) => string): Promise<boolean> {
  if (l.settlementAccountKey === depKey) return false;
  l.settlementAccountKey = depKey;
  await l.patch(["settlementAccountKey"], { idempotencyKey: key("settlement", "link") });
  ctx.onWrite?.();
  st.loan = l;
  return true;
}

/**
 * An installment of the book as the schedule edit sends it: `number` as text (the contract's type)
 * and the due date at midnight in the tenant's offset (a naive date-time without it: the ORM places
 * it in the loan's offset).
 */
function wireInstallment(i: Record<string, unknown>, offset: string | undefined): InstallmentInput {
  const due = String(i.dueDate);
  const dueDate = /^\d{4}-\d{2}-\d{2}$/.test(due) ? `${due}T00:00:00${offset ?? ""}` : due;
  return { ...structuredCloneExact(i), number: String(i.number), dueDate } as InstallmentInput;
}

/** The transactions of a loan in the tenant by externalId (one request up to 1000 of them). */
async function listedTransactions(loan: MambuLoan): Promise<Map<string, MambuTransaction>> {
  const list = await loan.getTransactions();
  return new Map(list.filter((t) => typeof t.externalId === "string").map((t) => [String(t.externalId), t]));
}

/** externalId → encodedKey of a loan's transactions in the tenant (one request up to 1000 of them). */
async function postedTransactions(loan: MambuLoan): Promise<Map<string, string>> {
  return new Map([...(await listedTransactions(loan))].map(([k, t]) => [k, String(t.encodedKey)]));
}

/** Posts a fee or repayment, applies interest or adjusts a transaction: once (see each). */
async function postTransaction(ctx: StepContext, st: LoanState, tx: TxPlan): Promise<{ status: "created" | "adopted"; key?: string }> {
  if (tx.kind === "interest") return applyInterest(ctx, st, tx);
  if (tx.kind === "adjustment") return adjust(ctx, st, tx);
  return postMoney(ctx, st, tx);
}

/** Posts a fee or repayment unless the loan already has a transaction with its externalId. */
async function postMoney(ctx: StepContext, st: LoanState, tx: TxPlan): Promise<{ status: "created" | "adopted"; key?: string }> {
  const l = await loanOf(ctx, st);
  if (!st.fresh && !st.txs) st.txs = await postedTransactions(l);
  const existing = st.txs?.get(tx.externalId);
  if (existing) return { status: "adopted", key: existing };
  const { amount, ...fields } = structuredCloneExact(tx.body);
  const opts = { ...fields, idempotencyKey: idempotencyKey(ctx.plan.id, tx.key, tx.kind, "", ctx.journal.keyScope), reread: false };
  try {
    const posted = tx.kind === "fee" ? await l.applyFee(amount as Amount | undefined, opts as LoanFeeOptions) : await l.repay(amount as Amount, opts as RepayOptions);
    ctx.onWrite?.();
    const key = typeof posted.encodedKey === "string" ? posted.encodedKey : undefined;
    st.txs?.set(tx.externalId, key ?? "");
    (st.posted ??= new Map()).set(tx.externalId, posted);
    return { status: "created", key };
  } catch (e) {
    // a transaction posted by a request whose answer was lost, then refused as a duplicate: adopt it
    if (e instanceof MambuError && e.status !== undefined && e.status < 500) {
      const found = (await postedTransactions(l).catch(() => new Map<string, string>())).get(tx.externalId);
      if (found) return { status: "adopted", key: found };
    }
    throw e;
  }
}

/** The date part of a date-time as the ORM holds it (a luxon DateTime in the tenant's offset, or text). */
const dayOf = (v: unknown): string => String(v && typeof v === "object" && "toISO" in v ? (v as { toISO(): string }).toISO() : v).slice(0, 10);

/**
 * Applies interest up to the row's date (`:applyInterest`, answered without a body nor a transaction
 * key). A loan this run did not create is checked first: an INTEREST_APPLIED transaction on that
 * date, or a `lastInterestAppliedDate` on or after it, means it was applied (adopted) — Mambu, and the
 * sandbox, leave both. A tenant that shows neither gets the request again, with the key of the first
 * one.
 */
async function applyInterest(ctx: StepContext, st: LoanState, tx: TxPlan): Promise<{ status: "created" | "adopted"; key?: string }> {
  const l = await loanOf(ctx, st);
  const day = tx.valueDate.slice(0, 10);
  if (!st.fresh) {
    const last = l.lastInterestAppliedDate;
    if (last !== undefined && last !== null && dayOf(last) >= day) return { status: "adopted" };
    for (const t of await l.getTransactions()) {
      if (t.type === "INTEREST_APPLIED" && !t.adjustmentTransactionKey && dayOf(t.valueDate) === day) return { status: "adopted", key: String(t.encodedKey) };
    }
  }
  // the key is the same whatever the journal (no scope): a rerun that finds no trace of the application is replayed while Mambu remembers the key
  await l.applyInterest({ ...(structuredCloneExact(tx.body) as { interestApplicationDate: string; notes?: string }), idempotencyKey: idempotencyKey(ctx.plan.id, tx.key, tx.kind), reread: false } as LoanInterestOptions);
  ctx.onWrite?.();
  return { status: "created" };
}

/**
 * Adjusts (reverses) one of the plan's fees or repayments of the loan: the transaction as this run
 * posted it, else as the tenant lists it by externalId; one already adjusted is adopted.
 */
async function adjust(ctx: StepContext, st: LoanState, tx: TxPlan): Promise<{ status: "created" | "adopted"; key?: string }> {
  const l = await loanOf(ctx, st);
  const target = tx.adjusts!;
  let original = st.posted?.get(target);
  if (!original || !st.fresh) original = (await listedTransactions(l)).get(target);
  if (!original) throw new Error(`loan ${st.plan.id} has no transaction with externalId ${target} to adjust`);
  const done = original.adjustmentTransactionKey;
  if (typeof done === "string" && done !== "") return { status: "adopted", key: done };
  const { notes, ...fields } = structuredCloneExact(tx.body) as { notes?: string };
  const answer = await l.adjustTransaction(original, notes, { ...fields, idempotencyKey: idempotencyKey(ctx.plan.id, tx.key, tx.kind, "", ctx.journal.keyScope), reread: false } as LoanAdjustOptions);
  ctx.onWrite?.();
  return { status: "created", key: typeof answer.encodedKey === "string" ? answer.encodedKey : undefined };
}

/** The encodedKey of a document's owner: the unit's holder, or the account as this run's journal records it, else found by id. */
async function ownerKeyOf(ctx: StepContext, doc: DocumentPlan, holderKey: string): Promise<string> {
  if (doc.ownerType === "CLIENT" || doc.ownerType === "GROUP") return holderKey;
  const loan = doc.ownerType === "LOAN_ACCOUNT";
  const recorded = ctx.journal.step(loan ? rowKey.loan(doc.ownerId) : rowKey.deposit(doc.ownerId), loan ? "loan" : "deposit")?.key;
  if (recorded) return recorded;
  const found = loan ? await MambuLoan.find(doc.ownerId, { connector: ctx.conn }) : await MambuDeposit.find(doc.ownerId, { connector: ctx.conn });
  if (!found) throw new Error(`${loan ? "loan" : "deposit"} ${doc.ownerId} is not in the tenant`);
  return keyOf(found, `${loan ? "loan" : "deposit"} ${doc.ownerId}`);
}

const OWNER_CLASS: Record<DocumentPlan["ownerType"], EntityClass> = { CLIENT: MambuClient, GROUP: MambuGroup, LOAN_ACCOUNT: MambuLoan, DEPOSIT_ACCOUNT: MambuDeposit };

/**
 * The document steps of a unit: each file uploaded to its owner (`POST /documents`, multipart) with
 * the row's idempotency key. An owner this run did not create has its documents listed first (once):
 * one with the same title, file name and size is adopted. A file that can no
 * longer be read fails the unit, naming the row (not the file: its name is personal).
 */
export async function documentSteps(ctx: StepContext, unit: Unit, holderKey: string): Promise<void> {
  if (!ctx.plan.steps.has("document")) return;
  const listed = new Map<string, MambuDocument[]>();
  for (const doc of unit.documents ?? []) {
    const where = `document of ${doc.ownerType.toLowerCase().replace("_account", "")} ${doc.ownerId} (${doc.row.file}:${doc.row.line})`;
    await step(ctx, unit, doc.key, "document", where, async () => {
      const ownerKey = await ownerKeyOf(ctx, doc, holderKey);
      const owner = OWNER_CLASS[doc.ownerType].fromWire({ encodedKey: ownerKey, id: doc.ownerId }, ctx.conn);
      // an owner this run created has no document this run did not attach
      if (createdHere.get(unit)?.has(`${OWNER_CLASS[doc.ownerType].name}:${doc.ownerId}`) !== true) {
        if (!listed.has(ownerKey)) listed.set(ownerKey, await getAttachmentsMetadata(owner));
        const same = listed.get(ownerKey)!.find((d) => d.name === doc.title && d.fileName === doc.fileName && Number(String(d.fileSize)) === doc.size);
        if (same) return { status: "adopted", key: typeof same.encodedKey === "string" ? same.encodedKey : undefined };
      }
      let created: MambuDocument;
      try {
        created = await attachDocument(owner, doc.path, { title: doc.title, ...(doc.notes ? { notes: doc.notes } : {}), idempotencyKey: idempotencyKey(ctx.plan.id, doc.key, "document", "", ctx.journal.keyScope) });
      } catch (e) {
        if (e instanceof MambuTsError) throw new Error(`the file of ${doc.row.file}:${doc.row.line} cannot be uploaded: it is missing, unreadable, empty or too large now (it was checked before the run)`);
        throw e;
      }
      ctx.onWrite?.();
      return { status: "created", key: typeof created.encodedKey === "string" ? created.encodedKey : undefined };
    });
  }
}
