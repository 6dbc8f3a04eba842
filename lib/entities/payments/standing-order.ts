/**
 * Standing orders of the Payments API: a SEPA payment repeated daily, weekly or monthly from a Mambu account
 * (`/payments/standing-orders`): {@link StandingOrder.create} (its payment checked before sending, ./validate.ts),
 * {@link StandingOrder.get}, {@link StandingOrder.search}, and on one order `cancel()`, `suspend()` and
 * `executions()`. Dates are luxon `DateTime`s (days at midnight UTC), amounts `Decimal`s.
 */
import { DateTime } from "luxon";
import { MambuTsError } from "../../errors";
import { callOperation } from "../../core/call";
import { parseWireDate, parseWireDateTime } from "../../core/coerce";
import { checkOptionKeys } from "../../core/entity";
import { Decimal } from "../../core/money";
import { answerList, answerRecord, checkId, field, READ_KEYS, str, WRITE_KEYS, type PaymentsReadOptions, type PaymentsWriteOptions } from "./common";
import type { SepaAmount } from "./payment";
import { checkSepaPayment } from "./validate";
import { checkDay } from "./validate-collection";

/** How often a standing order pays. */
export type StandingOrderFrequency = "DAILY" | "WEEKLY" | "MONTHLY";

/** A standing order's state. */
export type StandingOrderStatus = "ACTIVE" | "SUSPENDED" | "CANCELED" | "WITHDRAWN";

/** A day given to the API: a luxon `DateTime` (its calendar day) or a `YYYY-MM-DD` string. */
export type PaymentsDay = DateTime | string;

/** The payment a standing order repeats (`PaymentDTO`), the amount a {@link SepaAmount}. */
export interface StandingOrderPayment {
  debtorAccount: { identification: { iban: string }; currency?: string };
  debtorName: string;
  creditorAccount: { identification: { iban: string }; currency?: string };
  creditorName: string;
  instructedAmount: SepaAmount;
  remittanceInformationUnstructured?: string;
  /** `SEPA` (the only scheme the API names). */
  scheme?: string;
}

/** The fields of a new standing order (`StandingOrderDTO`). */
export interface StandingOrderFields {
  /**
   * The order's owner: a free identifier the bank chooses (e.g. the client's id), kept as given and searchable
   * ({@link StandingOrder.search}). It does not choose the account paid from: that is the Mambu deposit account
   * mapped to `payment.debtorAccount`'s IBAN (`AccountIdentification.map`).
   */
  ownerId: string;
  frequency: StandingOrderFrequency;
  startDate: PaymentsDay;
  endDate?: PaymentsDay;
  payment: StandingOrderPayment;
  /** How many times a failed execution is retried (default: the API's). */
  retryPolicy?: { retryCount?: number };
}

/** What {@link StandingOrder.search} filters on (every filter given must match). */
export interface StandingOrderSearch {
  ownerId?: string;
  status?: StandingOrderStatus;
  /** Matches skipped (default 0). */
  offset?: number;
  /** Matches returned at most (≥ 1; default: the API's). */
  limit?: number;
}

/** One execution of a standing order (`StandingOrderExecutionResponse`). */
export interface StandingOrderExecution {
  standingOrderId?: string;
  /** The payment order the execution created. */
  paymentOrderId?: string;
  status?: "RUNNING" | "COMPLETED" | "FAILED" | string;
  type?: "REGULAR" | "RETRY" | string;
  failReason?: "INSUFFICIENT_FUNDS" | "ACCOUNT_INACTIVE" | "OTHER" | string;
  creationDate?: DateTime | string;
  /** When the execution was due; the text as sent when the API gave no offset. */
  requestedExecuteOn?: DateTime | string;
}

const FREQUENCIES: readonly string[] = ["DAILY", "WEEKLY", "MONTHLY"];

function day(obj: Record<string, unknown>, key: string): DateTime | string | undefined {
  const v = field(obj, key);
  return typeof v === "string" ? parseWireDate(v) : undefined;
}

function dateTime(obj: Record<string, unknown>, key: string): DateTime | string | undefined {
  const v = field(obj, key);
  return typeof v === "string" ? parseWireDateTime(v) : undefined;
}

function int(obj: Record<string, unknown>, key: string): number | undefined {
  const v = field(obj, key);
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
}

/** The payment of an answer, its amount a `Decimal` (left as sent when it is not a decimal string). */
function paymentOf(raw: unknown): StandingOrderPayment | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const p = { ...(raw as Record<string, unknown>) };
  const amt = field(p, "instructedAmount");
  if (amt !== null && typeof amt === "object" && !Array.isArray(amt)) {
    const a = amt as Record<string, unknown>;
    const digits = field(a, "amount");
    p.instructedAmount = { ...a, amount: typeof digits === "string" && /^-?\d+(\.\d+)?$/.test(digits) ? new Decimal(digits) : digits };
  }
  return p as unknown as StandingOrderPayment;
}

/** A standing order: a SEPA payment repeated from a Mambu account. */
export class StandingOrder {
  /** Its id. */
  readonly id: string;
  /** Its state (absent on the object {@link StandingOrder.create} answers: `get` it to read it). */
  readonly status?: StandingOrderStatus | string;
  readonly ownerId?: string;
  readonly frequency?: StandingOrderFrequency | string;
  readonly startDate?: DateTime | string;
  readonly endDate?: DateTime | string;
  /** The payment repeated, its amount a `Decimal`. */
  readonly payment?: StandingOrderPayment;
  readonly creationDateTime?: DateTime | string;
  readonly lastExecution?: DateTime | string;
  readonly nextExecution?: DateTime | string;
  readonly paymentsCount?: number;
  readonly retryCount?: number;
  /** The suspension's first and last day; `null` when the API says there is none. */
  readonly suspendDateFrom?: DateTime | string | null;
  /** @see suspendDateFrom */
  readonly suspendDateTo?: DateTime | string | null;
  /** The connector it was read with (used by `cancel`, `suspend`, `executions`). */
  private readonly connectorOpts: PaymentsReadOptions;

  /** @internal Built from an answer; use {@link StandingOrder.create}, `get` or `search`. */
  constructor(answer: Record<string, unknown>, opts: PaymentsReadOptions = {}) {
    this.id = str(answer, "id") ?? "";
    this.status = str(answer, "status");
    this.ownerId = str(answer, "ownerId");
    this.frequency = str(answer, "frequency");
    this.startDate = day(answer, "startDate");
    this.endDate = day(answer, "endDate");
    this.payment = paymentOf(field(answer, "payment"));
    this.creationDateTime = dateTime(answer, "creationDateTime");
    this.lastExecution = day(answer, "lastExecution");
    this.nextExecution = day(answer, "nextExecution");
    this.paymentsCount = int(answer, "paymentsCount");
    const retry = field(answer, "retryCount");
    this.retryCount = typeof retry === "number" ? retry : undefined;
    this.suspendDateFrom = field(answer, "suspendDateFrom") === null ? null : day(answer, "suspendDateFrom");
    this.suspendDateTo = field(answer, "suspendDateTo") === null ? null : day(answer, "suspendDateTo");
    this.connectorOpts = { connector: opts.connector };
    Object.defineProperty(this, "connectorOpts", { enumerable: false });
  }

  /**
   * Creates a standing order (`POST /payments/standing-orders`). Its payment is checked before anything is sent
   * (IBANs, SEPA characters and lengths, an amount in EUR), as are the frequency and the dates.
   * @returns the order with its new `id` and the fields sent (its `status` is read by {@link StandingOrder.get}).
   * @throws MambuTsError naming the field to fix, before any request; MambuError with `tppMessages` when refused.
   */
  static async create(fields: StandingOrderFields, opts: PaymentsWriteOptions = {}): Promise<StandingOrder> {
    checkOptionKeys("StandingOrder.create", opts, WRITE_KEYS);
    if (fields === null || typeof fields !== "object") throw new MambuTsError("StandingOrder.create: give the order's fields as an object");
    if (typeof fields.ownerId !== "string" || fields.ownerId === "") throw new MambuTsError("ownerId: give the order's owner id (a free identifier, e.g. the client's id; the account debited is the one mapped to payment.debtorAccount's IBAN)");
    if (!FREQUENCIES.includes(fields.frequency)) throw new MambuTsError("frequency: give DAILY, WEEKLY or MONTHLY");
    const startDate = checkDay("startDate", fields.startDate);
    const endDate = fields.endDate === undefined ? undefined : checkDay("endDate", fields.endDate);
    if (endDate !== undefined && endDate < startDate) throw new MambuTsError("endDate: must not be before startDate");
    const payment = checkSepaPayment("payment.", fields.payment);
    const body: Record<string, unknown> = {
      ownerId: fields.ownerId,
      frequency: fields.frequency,
      startDate,
      ...(endDate === undefined ? {} : { endDate }),
      payment,
      retryPolicy: fields.retryPolicy ?? {},
    };
    const answer = answerRecord(
      "StandingOrder.create",
      await callOperation("standingOrders", "createStandingOrder", { api: "payments", body, connector: opts.connector, signal: opts.signal, idempotencyKey: opts.idempotencyKey }),
    );
    const id = str(answer, "id");
    if (!id) throw new MambuTsError("StandingOrder.create: the Payments API answered no id");
    return new StandingOrder({ ...body, id }, opts);
  }

  /**
   * Reads a standing order (`GET /payments/standing-orders/{id}`).
   * @throws MambuError (404 `RESOURCE_UNKNOWN` in `tppMessages` when there is none).
   */
  static async get(id: string, opts: PaymentsReadOptions = {}): Promise<StandingOrder> {
    checkOptionKeys("StandingOrder.get", opts, READ_KEYS);
    const answer = await callOperation("standingOrders", "getStandingOrderDetails", {
      api: "payments",
      path: { id: checkId("StandingOrder.get", id) },
      connector: opts.connector,
      signal: opts.signal,
    });
    return new StandingOrder(answerRecord("StandingOrder.get", answer), opts);
  }

  /**
   * Standing orders by owner and/or status (`POST /payments/standing-orders:search`, filters `OWNER_ID`/`STATUS`
   * with `EQUALS`); at least one filter is required.
   */
  static async search(filter: StandingOrderSearch, opts: PaymentsWriteOptions = {}): Promise<StandingOrder[]> {
    checkOptionKeys("StandingOrder.search", opts, WRITE_KEYS);
    checkOptionKeys("StandingOrder.search filter", filter, ["ownerId", "status", "offset", "limit"]);
    const filterCriteria: Array<{ field: string; operator: string; value: string }> = [];
    if (filter.ownerId !== undefined) filterCriteria.push({ field: "OWNER_ID", operator: "EQUALS", value: checkId("StandingOrder.search ownerId", filter.ownerId) });
    if (filter.status !== undefined) filterCriteria.push({ field: "STATUS", operator: "EQUALS", value: checkId("StandingOrder.search status", filter.status) });
    if (filterCriteria.length === 0) throw new MambuTsError("StandingOrder.search: give ownerId or status (or both)");
    if (filter.offset !== undefined && !(Number.isInteger(filter.offset) && filter.offset >= 0)) throw new MambuTsError("StandingOrder.search offset: an integer ≥ 0");
    if (filter.limit !== undefined && !(Number.isInteger(filter.limit) && filter.limit >= 1)) throw new MambuTsError("StandingOrder.search limit: an integer ≥ 1");
    const body = { filterCriteria, ...(filter.offset === undefined ? {} : { offset: filter.offset }), ...(filter.limit === undefined ? {} : { limit: filter.limit }) };
    const answer = await callOperation("standingOrders", "searchStandingOrders", { api: "payments", body, connector: opts.connector, signal: opts.signal, idempotencyKey: opts.idempotencyKey });
    return answerList("StandingOrder.search", answer).map((a) => new StandingOrder(a, opts));
  }

  /** Cancels the order (`DELETE /payments/standing-orders/{id}`); no payment is made after. */
  async cancel(opts: PaymentsReadOptions = {}): Promise<void> {
    checkOptionKeys("StandingOrder.cancel", opts, READ_KEYS);
    await callOperation("standingOrders", "cancelStandingOrder", {
      api: "payments",
      path: { id: checkId("StandingOrder.cancel", this.id) },
      connector: opts.connector ?? this.connectorOpts.connector,
      signal: opts.signal,
    });
  }

  /**
   * Suspends the order until `endDate` (from `startDate`, default: now) (`POST /payments/standing-orders:suspend`).
   * @throws MambuTsError for a date that is not a day, or an end before the start, before any request.
   */
  async suspend(period: { endDate: PaymentsDay; startDate?: PaymentsDay }, opts: PaymentsWriteOptions = {}): Promise<void> {
    checkOptionKeys("StandingOrder.suspend", opts, WRITE_KEYS);
    const endDate = checkDay("endDate", period?.endDate);
    const startDate = period.startDate === undefined ? undefined : checkDay("startDate", period.startDate);
    if (startDate !== undefined && endDate < startDate) throw new MambuTsError("endDate: must not be before startDate");
    const body = { id: checkId("StandingOrder.suspend", this.id), endDate, ...(startDate === undefined ? {} : { startDate }) };
    await callOperation("standingOrders", "suspendStandingOrder", {
      api: "payments",
      body,
      connector: opts.connector ?? this.connectorOpts.connector,
      signal: opts.signal,
      idempotencyKey: opts.idempotencyKey,
    });
  }

  /** The order's executions (`GET /payments/standing-orders/{id}/executions`), dates as `DateTime`. */
  async executions(opts: PaymentsReadOptions = {}): Promise<StandingOrderExecution[]> {
    checkOptionKeys("StandingOrder.executions", opts, READ_KEYS);
    const answer = await callOperation("standingOrders", "getExecutionsByStandingOrderId", {
      api: "payments",
      path: { id: checkId("StandingOrder.executions", this.id) },
      connector: opts.connector ?? this.connectorOpts.connector,
      signal: opts.signal,
    });
    return answerList("StandingOrder.executions", answer).map((e) => {
      const out: StandingOrderExecution = {};
      for (const key of ["standingOrderId", "paymentOrderId", "status", "type", "failReason"] as const) {
        const v = str(e, key);
        if (v !== undefined) out[key] = v;
      }
      const created = dateTime(e, "creationDate");
      if (created !== undefined) out.creationDate = created;
      const due = dateTime(e, "requestedExecuteOn");
      if (due !== undefined) out.requestedExecuteOn = due;
      return out;
    });
  }
}

