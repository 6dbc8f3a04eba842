/**
 * Communication messages (`/api/communications/messages`): the e-mails, text messages and webhooks Mambu sent, or
 * failed to send, to clients, groups and users. Search them, read one, send one, and resend the ones that failed.
 *
 * Their destinations (phone numbers, e-mail addresses) and bodies are personal data: the ORM never puts them in an
 * error message, and a message printed with `console.log` or in the REPL shows its destination masked
 * (`+52•••••1234`, `j•••@example.com`) and its subject and body as their length only. `toJSON()` and the fields
 * themselves stay exact.
 */
import { inspect } from "node:util";
import { DateTime } from "luxon";
import { buildBody, ActionOptions, checkReread } from "../core/actions";
import { expectRecord } from "../core/account-operation";
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf, EntityClass, EntitySpec, GetAllOptions, listOf, MambuEntity, SearchOptions } from "../core/entity";
import "../core/entity-methods";
import { formatWireDateTime, toWireDateTime } from "../core/coerce";
import { stringifyExact } from "../core/json";
import type { MambuList } from "../core/list";
import type { DateInput, Input } from "../core/operations";
import { checkInteger, checkSearch } from "../core/query";
import type { Listable, Listing, LooseSearchOptions } from "../core/query-types";
import { inspectStruct } from "../core/struct";
import { CONN, RAW } from "../core/symbols";
import { definition } from "../contract/schema";
import type { CommunicationMessage, CommunicationMessageFilterCriteria, CommunicationMessageStruct } from "../generated/types/communications_messages";
import { MambuTsError } from "../errors";
import { deterministicUuidV4, MambuConnector } from "../transport";

type Bag = Record<string, unknown>;

/** Most messages one resend request names (`POST /communications/messages:resend`); more are sent in batches. */
export const MAX_RESEND_BATCH = 1000;

/** Longest encodedKey accepted for a resend (Mambu's are 32 hexadecimal characters). */
const MAX_KEY_LENGTH = 64;

/** The kind of a message: `EMAIL`, `SMS`, `WEB_HOOK`, `EVENT_STREAM` or `TASK`. */
export type CommunicationMessageType = NonNullable<CommunicationMessage["type"]>;
/** The state of a message: `SENT`, `QUEUED`, `QUEUED_FOR_STREAM`, `WAITING`, `SENDING_ASYNC` or `FAILED`. */
export type CommunicationMessageState = NonNullable<CommunicationMessage["state"]>;

/** Fields of a message that hold personal data: never quoted in an error, masked when printed. */
const PERSONAL = ["destination", "subject", "body"] as const;

/** Fields Mambu sets on a message it records; `send()` refuses them. */
const SET_BY_MAMBU = ["encodedKey", "creationDate", "sendDate", "state", "failureReason", "failureCause", "numRetries"] as const;

/**
 * What `MambuCommunicationMessage.send(...)` sends (Swagger `CommunicationMessage`, without what Mambu sets): the
 * `type` (`EMAIL`, `SMS`, `WEB_HOOK`), the content — a `body` (and an e-mail's `subject`) or a `templateKey` — and
 * who it is for: a `destination` (phone number, e-mail address, URL) and/or the `clientKey`, `groupKey` or `userKey`
 * of the recipient (Mambu takes the recipient's phone or e-mail then), optionally the account it is about
 * (`loanAccountKey`, `depositAccountKey`, `repaymentKey`) and a `referenceId` of your own.
 */
export type CommunicationMessageInput = Omit<Input<CommunicationMessage>, (typeof SET_BY_MAMBU)[number]> & { type: CommunicationMessageType };

/** Options of `MambuCommunicationMessage.send(...)`. */
export interface SendMessageOptions {
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
  connector?: MambuConnector;
}

/** Options of `MambuCommunicationMessage.resend(keys, ...)`. */
export interface ResendOptions {
  /** The connection (default: that of the messages given as entities, else `MambuConnector.default()`). */
  connector?: MambuConnector;
  /** Messages per request, 1 to {@link MAX_RESEND_BATCH} (default {@link MAX_RESEND_BATCH}). */
  batchSize?: number;
  /**
   * Idempotency-Key (v4 UUID) of the first request; each further batch gets a key derived from it
   * (`deterministicUuidV4(key, batchIndex)`), so that a rerun with the same key and the same messages is replayed by
   * Mambu instead of resent twice. Default: a random key per request.
   */
  idempotencyKey?: string;
  /** Called after each batch Mambu accepted, with its keys and how many were accepted so far. */
  onBatch?: (keys: readonly string[], resentSoFar: number) => void;
}

/** Options of `MambuCommunicationMessage.resendFailed(...)`: which FAILED messages, and how to resend them. */
export interface ResendFailedOptions extends ResendOptions {
  /**
   * Only messages created at or after this: a date `YYYY-MM-DD` (that whole day on, in the tenant's time zone) or an
   * instant (DateTime, Date, ISO date-time; to the second).
   */
  since?: DateInput;
  /** Only messages of this type (`EMAIL`, `SMS`, `WEB_HOOK`, ...). */
  type?: CommunicationMessageType;
  /** Only messages to this client (its encodedKey). */
  clientKey?: string;
  /** At most this many messages (default: every failed message found). */
  limit?: number;
}

/** A search criterion of messages, as sent. */
export interface Criterion {
  field: string;
  operator: string;
  value?: string;
}

/**
 * A message Mambu recorded: `type` (`EMAIL`, `SMS`, `WEB_HOOK`, ...), `state` (`SENT`, `QUEUED`, `FAILED`, ...),
 * the `event` that made it (`LOAN_DISBURSEMENT`, `LOAN_REPAYMENT`, `MANUAL`, ...), `destination`, `subject`, `body`,
 * its recipient (`clientKey`, `groupKey`, `userKey`) and account (`loanAccountKey`, `depositAccountKey`),
 * `creationDate` and `sendDate` (DateTime), and when it failed `failureReason`, `failureCause` and `numRetries`.
 * Mambu has no list of messages: `MambuCommunicationMessage.search({ filterCriteria })` finds them.
 */
export class MambuCommunicationMessage extends MambuEntity {
  static override resource = "communications_messages";
  static override definition = "CommunicationMessage";
  static override spec = {
    prefix: "communications/messages",
    search: { filterDefinition: "CommunicationMessageFilterCriteria" },
  } as const satisfies EntitySpec;

  /** Mambu has no list of messages: use {@link MambuCommunicationMessage.search}. */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, _opts?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    throw new MambuTsError('MambuCommunicationMessage.getAll: Mambu only searches messages; use MambuCommunicationMessage.search({ filterCriteria: [{ field: "state", operator: "EQUALS", value: "FAILED" }] })');
  }

  /**
   * Searches messages (`POST /communications/messages:search`): `filterCriteria` (every one must match) on the
   * fields `encodedKey`, `creationDate`, `sendDate`, `senderKey`, `clientKey`, `groupKey`, `userKey`, `state`,
   * `failureReason`, `failureCause`, `destination`, `type` and `event`, with Mambu's operators. Pagination as every
   * listing: `await` for an array, `for await` to stream page by page; no `limit` means every match.
   * Mambu's API v2 contract sends the criteria as a bare list: `sortingCriteria` is refused (Mambu's order).
   * @throws MambuTsError before any request for an unknown field or operator, or a criterion missing its value.
   */
  static override search<T extends MambuEntity>(this: EntityClass<T>, options?: NoInfer<SearchOptions<T>>): MambuList<T> {
    const label = "MambuCommunicationMessage.search";
    const opts = (options ?? {}) as LooseSearchOptions;
    checkOptionKeys(label, opts, ["filterCriteria", "sortingCriteria", "offset", "limit", "paginationDetails", "detailsLevel", "connector"]);
    if (opts.sortingCriteria !== undefined) {
      throw new MambuTsError(`${label}: Mambu's search of messages takes no sortingCriteria (its body is the list of filterCriteria); filter by creationDate instead`);
    }
    const criteria = checkMessageCriteria(opts.filterCriteria, label);
    return listOf(this, { method: "POST", path: "/communications/messages:search", query: {}, bodyText: stringifyExact(criteria) }, opts);
  }

  /**
   * Sends a message (`POST /communications/messages`, answered 201 with the message Mambu recorded, usually
   * `QUEUED`). The fields are checked against the contract before any request: `type` is required, and so are some
   * content (`body` or `templateKey`) and a recipient (`destination`, `clientKey`, `groupKey` or `userKey`); fields
   * Mambu sets itself (`state`, `creationDate`, ...) are refused.
   * @throws MambuTsError before any request for a field that is missing, unknown or set by Mambu.
   */
  static async send(fields: CommunicationMessageInput, opts: SendMessageOptions = {}): Promise<MambuCommunicationMessage> {
    const label = "MambuCommunicationMessage.send";
    checkOptionKeys(label, opts, ["idempotencyKey", "connector"]);
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) throw new MambuTsError(`${label}: give the message's fields as an object`);
    const given = fields as Bag;
    for (const k of SET_BY_MAMBU) {
      if (given[k] !== undefined) throw new MambuTsError(`${label}: ${k} is set by Mambu; leave it out`);
    }
    for (const k of PERSONAL) {
      // checked here, so that no message of a lower layer quotes a phone number given as a number
      if (given[k] !== undefined && typeof given[k] !== "string") throw new MambuTsError(`${label}: ${k} must be a string`);
    }
    if (given.type === undefined) throw new MambuTsError(`${label}: type is required (EMAIL, SMS or WEB_HOOK)`);
    if (!nonEmpty(given.body) && !nonEmpty(given.templateKey)) throw new MambuTsError(`${label}: give the content: body (and subject for an e-mail) or templateKey`);
    if (!["destination", "clientKey", "groupKey", "userKey"].some((k) => nonEmpty(given[k]))) {
      throw new MambuTsError(`${label}: give a recipient: destination, clientKey, groupKey or userKey`);
    }
    const conn = connectorOf(undefined, opts.connector);
    const owner = new MambuCommunicationMessage();
    owner[CONN] = conn;
    const body = buildBody(owner, "communications_messages", "CommunicationMessage", given, label);
    const answer = await callOperation("communications_messages", "send", { body, connector: conn, idempotencyKey: opts.idempotencyKey });
    return MambuCommunicationMessage.fromWire(expectRecord(answer, "the message sent", label), conn, { detailsLevel: "FULL" });
  }

  /**
   * Asks Mambu to send messages again (`POST /communications/messages:resend`, answered 202): messages given by
   * encodedKey or as entities, each once (repeats are dropped), in batches of at most `batchSize` keys. Mambu
   * resends only FAILED messages and refuses a request naming another one. Resolves to how many were resent.
   * When a batch is refused, the batches before it stay resent (`onBatch` heard them) and the error is Mambu's.
   * @throws MambuTsError before any request for a key that is not a non-empty string, or an empty list.
   */
  static async resend(messages: Iterable<string | MambuCommunicationMessage>, opts: ResendOptions = {}): Promise<number> {
    const label = "MambuCommunicationMessage.resend";
    checkOptionKeys(label, opts, ["connector", "batchSize", "idempotencyKey", "onBatch"]);
    checkResendOptions(opts, label);
    const { keys, connector } = resendKeys(messages, label);
    if (keys.length === 0) throw new MambuTsError(`${label}: give at least one message (an encodedKey or a MambuCommunicationMessage)`);
    return sendResends(keys, opts.connector ?? connector, opts, label);
  }

  /**
   * Resends the FAILED messages (`search` with `state EQUALS FAILED`, narrowed by `since`, `type`, `clientKey`,
   * then `resend` in batches). Every key is found before the first resend (a resent message leaves the FAILED set,
   * which would shift the pages still to read). Resolves to how many were resent (0 when none failed).
   * @throws MambuTsError before any request for a bad `since`, `type`, `clientKey` or `limit`.
   */
  static async resendFailed(opts: ResendFailedOptions = {}): Promise<number> {
    const label = "MambuCommunicationMessage.resendFailed";
    checkOptionKeys(label, opts, ["since", "type", "clientKey", "limit", "connector", "batchSize", "idempotencyKey", "onBatch"]);
    const conn = connectorOf(undefined, opts.connector);
    const criteria: Criterion[] = [{ field: "state", operator: "EQUALS", value: "FAILED" }];
    if (opts.since !== undefined) criteria.push(createdSinceCriterion(opts.since, conn, label));
    if (opts.type !== undefined) {
      const types = definition("communications_messages", "CommunicationMessage").fields.type?.enum ?? [];
      if (typeof opts.type !== "string" || !types.includes(opts.type)) throw new MambuTsError(`${label}: type must be one of ${types.join(", ")}`);
      criteria.push({ field: "type", operator: "EQUALS", value: opts.type });
    }
    if (opts.clientKey !== undefined) {
      if (!nonEmpty(opts.clientKey)) throw new MambuTsError(`${label}: clientKey must be a non-empty string`);
      criteria.push({ field: "clientKey", operator: "EQUALS", value: opts.clientKey });
    }
    const limit = checkInteger("limit", opts.limit, 1);
    checkResendOptions(opts, label);
    const keys = new Set<string>();
    for await (const m of MambuCommunicationMessage.search({ filterCriteria: criteria as never, limit, connector: conn })) {
      const key = m[RAW].encodedKey;
      if (typeof key === "string" && key !== "") keys.add(key);
    }
    if (keys.size === 0) return 0;
    return sendResends([...keys], conn, opts, label);
  }

  /**
   * Asks Mambu to send this message again (`POST /communications/messages:resend` with its key; Mambu resends only a
   * FAILED message). Then re-reads it (its new `state`, `numRetries`) unless `reread: false`. Returns the message.
   */
  async resend(opts: ActionOptions = {}): Promise<this> {
    const label = "MambuCommunicationMessage#resend";
    checkOptionKeys(label, opts, ["idempotencyKey", "reread"]);
    checkReread(opts.reread);
    const key = this[RAW].encodedKey;
    if (!nonEmpty(key)) throw new MambuTsError(`${label}: the message has no encodedKey (read it from Mambu first)`);
    await sendResends([key], connectorOf(this), { idempotencyKey: opts.idempotencyKey }, label);
    return opts.reread === false ? this : this.refresh();
  }

  /** REPL/console form: the destination masked (also inside the failure cause), the subject and body as their length. */
  override [inspect.custom](depth: number, options: { stylize: (s: string, style: string) => string }, insp: typeof inspect): string {
    return inspectStruct(withoutPersonalData(this), `MambuCommunicationMessage(${String(this[RAW].encodedKey ?? "new")})`, depth, options, insp);
  }
}
export interface MambuCommunicationMessage
  extends CommunicationMessageStruct,
    Listable<Listing<object, typeof MambuCommunicationMessage.spec, CommunicationMessageFilterCriteria>> {}

function nonEmpty(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}

/** Checks a search's criteria against the contract's fields and operators; the body as Mambu takes it (a list). */
function checkMessageCriteria(filterCriteria: unknown, label: string): Criterion[] {
  const def = definition("communications_messages", "CommunicationMessageFilterCriteria").fields;
  const fields = def.field?.enum ?? [];
  const { filterCriteria: criteria } = checkSearch({ operators: def.operator?.enum ?? [] }, filterCriteria, undefined);
  criteria.forEach((c, i) => {
    if (!fields.includes(c.field)) throw new MambuTsError(`${label}: filterCriteria[${i}].field "${c.field}" is not one of ${fields.join(", ")}`);
  });
  return criteria as Criterion[];
}

/**
 * The search criterion "created at or after `since`": a date `YYYY-MM-DD` is that day on (`creationDate AFTER` the
 * day before, compared by day in the tenant's time zone), an instant is that second on (`creationDate AFTER` the
 * second before; Mambu's dates have whole seconds). A date-time without offset takes the connector's tenant offset.
 * @throws MambuTsError for a value that is not a date or an instant.
 */
export function createdSinceCriterion(since: DateInput, conn: MambuConnector = MambuConnector.default(), label = "since"): Criterion {
  if (typeof since === "string" && /^\d{4}-\d{2}-\d{2}$/.test(since.trim())) {
    const day = DateTime.fromISO(since.trim(), { zone: "utc" });
    if (!day.isValid) throw new MambuTsError(`${label}: since ${JSON.stringify(since)} is not a date`);
    return { field: "creationDate", operator: "AFTER", value: day.minus({ days: 1 }).toISODate() as string };
  }
  const wire = toWireDateTime(since, `${label}: since`, () => conn.config.tenantoffset || undefined);
  const instant = DateTime.fromISO(wire, { setZone: true }).startOf("second").minus({ seconds: 1 });
  return { field: "creationDate", operator: "AFTER", value: formatWireDateTime(instant) };
}

/** Checks the options of a resend before any request. */
function checkResendOptions(opts: ResendOptions, label: string): void {
  const v = opts.batchSize;
  if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_RESEND_BATCH)) {
    throw new MambuTsError(`${label}: batchSize must be an integer from 1 to ${MAX_RESEND_BATCH}, got ${JSON.stringify(v)}`);
  }
  if (opts.onBatch !== undefined && typeof opts.onBatch !== "function") throw new MambuTsError(`${label}: onBatch must be a function`);
  if (opts.idempotencyKey !== undefined && typeof opts.idempotencyKey !== "string") throw new MambuTsError(`${label}: idempotencyKey must be a string`);
}

/** The distinct keys of the messages given, in order, and the connector their entities share (if any). */
function resendKeys(messages: Iterable<string | MambuCommunicationMessage>, label: string): { keys: string[]; connector?: MambuConnector } {
  if (typeof messages === "string" || messages === null || typeof messages !== "object" || typeof (messages as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new MambuTsError(`${label}: give a list of encodedKeys or MambuCommunicationMessage entities`);
  }
  const seen = new Set<string>();
  const keys: string[] = [];
  let connector: MambuConnector | undefined;
  let i = 0;
  for (const m of messages) {
    let key: unknown = m;
    if (m instanceof MambuCommunicationMessage) {
      key = m[RAW].encodedKey;
      const c = m[CONN];
      if (c !== undefined) {
        if (connector !== undefined && connector !== c) throw new MambuTsError(`${label}: the messages were read through different connectors; resend them separately or give { connector }`);
        connector = c;
      }
    }
    if (!nonEmpty(key) || key.length > MAX_KEY_LENGTH || /\s/.test(key)) {
      throw new MambuTsError(`${label}: message ${i} is not an encodedKey (a non-empty string of at most ${MAX_KEY_LENGTH} characters without spaces) nor a message read from Mambu`);
    }
    if (!seen.has(key)) {
      seen.add(key);
      keys.push(key);
    }
    i++;
  }
  return { keys, connector };
}

/** Sends the resend requests, batch after batch; resolves to how many keys Mambu accepted. */
async function sendResends(keys: string[], connector: MambuConnector | undefined, opts: ResendOptions, label: string): Promise<number> {
  checkResendOptions(opts, label);
  const size = opts.batchSize ?? MAX_RESEND_BATCH;
  const conn = connectorOf(undefined, connector);
  let done = 0;
  for (let start = 0, batch = 0; start < keys.length; start += size, batch++) {
    const slice = keys.slice(start, start + size);
    const idempotencyKey = opts.idempotencyKey === undefined ? undefined : batch === 0 ? opts.idempotencyKey : deterministicUuidV4(opts.idempotencyKey, String(batch));
    await callOperation("communications_messages", "resend", { body: { messages: slice }, connector: conn, idempotencyKey });
    done += slice.length;
    opts.onBatch?.(slice, done);
  }
  return done;
}

/** `+52•••••1234` for a phone number, `j•••@example.com` for an e-mail address, `https://host/…` for a URL. */
export function maskDestination(destination: string): string {
  const d = destination.trim();
  if (d === "") return "";
  const at = d.lastIndexOf("@");
  if (at > 0 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(d)) return `${d[0]}•••${d.slice(at)}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(d)) {
    try {
      const u = new URL(d);
      return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}/…`;
    } catch {
      return "•••";
    }
  }
  const digits = d.replace(/\D/g, "");
  if (/^[+\d\s().-]+$/.test(d) && digits.length >= 8) return `${d.startsWith("+") ? "+" : ""}${digits.slice(0, 2)}•••••${digits.slice(-4)}`;
  if (/^[+\d\s().-]+$/.test(d) && digits.length >= 5) return `•••••${digits.slice(-2)}`;
  return "•••";
}

/**
 * A message's wire record with its personal data hidden: `destination` masked, `subject` and `body` as their length,
 * the destination masked inside `failureCause` too (an SMTP error may quote the address).
 */
export function maskedRecord(raw: Readonly<Bag>): Bag {
  const out: Bag = { ...raw };
  const dest = raw.destination;
  if (typeof dest === "string") out.destination = maskDestination(dest);
  for (const k of ["subject", "body"]) {
    const v = raw[k];
    if (typeof v === "string") out[k] = `(${v.length} characters)`;
  }
  if (typeof raw.failureCause === "string" && typeof dest === "string" && dest.trim().length >= 3) {
    out.failureCause = raw.failureCause.split(dest.trim()).join(maskDestination(dest));
  }
  return out;
}

/**
 * A copy of a message without its personal data (see {@link maskedRecord}), for display: the destination masked,
 * the subject and body as their length. The message given is not changed.
 */
export function withoutPersonalData(message: MambuCommunicationMessage): MambuCommunicationMessage {
  return MambuCommunicationMessage.fromWire(maskedRecord(message[RAW]), message[CONN]);
}
