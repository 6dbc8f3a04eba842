/**
 * One way to perform an operation of an account (or of any entity) by its contract name:
 * `accountOperation(loan, "loans", "reschedule", input, action, { returns: "answer" })`. The method,
 * the path and the body's definition come from the Swagger operation (lib/contract): nothing is
 * written by hand but the operation's name. The body is built from the caller's options (amounts
 * exact, naive dates in the account's offset, unknown keys and missing required fields refused
 * before any request), sent through {@link callOperation}, and the account re-read afterwards unless
 * `reread: false`.
 */
import { validateAgainst } from "../contract/schema";
import type { FieldSpec, OperationSpec } from "../contract/schema";
import { MambuError, MambuTsError } from "../errors";
import { ActionOptions, buildBody, checkReread } from "./actions";
import { operationSpec, sendOperation } from "./call";
import type { CheckedBody } from "./call";
import { connectorOf, EntityClass, MambuEntity } from "./entity";
import { stringifyExact } from "./json";
import { RAW } from "./symbols";
import { revealSecrets } from "../transport/reveal";

type Bag = Record<string, unknown>;

/** What {@link accountOperation} resolves to. */
export type OperationReturns = "account" | "transaction" | "answer";

/** How {@link accountOperation} sends the operation and what it returns. */
export interface AccountOperationOptions<T extends MambuEntity = MambuEntity> {
  /**
   * `"account"`: the account, re-read (or, with `reread: false`, Mambu's answer adopted when it is this
   * account); `"transaction"`: Mambu's answer as an entity of `txClass`; `"answer"`: Mambu's answer as parsed.
   */
  returns: OperationReturns;
  /** The entity class of the created transaction (`returns: "transaction"`). */
  txClass?: EntityClass<T>;
  /** Name for messages, e.g. "MambuLoan.reschedule" (default "resource.operationId"). */
  label?: string;
  /**
   * The operation's path parameters in order (default: the account's encodedKey, else its id, for
   * the first one), e.g. `[accountKey, cardReferenceToken]`.
   */
  ids?: readonly string[];
  /** Query parameters, as the operation declares them. */
  query?: Record<string, unknown>;
}

/** The key by which an entity is addressed: its encodedKey as last read (it never changes), else its id. @internal */
export function entityKey(entity: MambuEntity): string {
  const raw = entity[RAW];
  const key = raw.encodedKey ?? raw.id;
  if (key === undefined || key === null || key === "") {
    throw new MambuTsError(`${entity.constructor.name} has no id or encodedKey yet (create() it first)`);
  }
  return String(key);
}

/**
 * Builds the body of an operation from the caller's input against the operation's body spec (one
 * definition, or a list of one definition) and validates it, required fields included. An operation
 * without a body takes no input; an object body given no input is `{}`. @internal
 */
export function contractBody(owner: MambuEntity, resource: string, op: OperationSpec, input: unknown, label: string): unknown {
  return checkedContractBody(owner, resource, op, input, label).body;
}

/**
 * {@link contractBody}, with the body's text and parsed JSON as checked (`checked`; undefined without a body, or
 * when the body holds a `Secret`: its text as checked is not the text sent) for {@link sendOperation}. @internal
 */
export function checkedContractBody(
  owner: MambuEntity, resource: string, op: OperationSpec, input: unknown, label: string,
): { body: unknown; checked?: CheckedBody } {
  const spec = op.body;
  if (!spec) {
    if (input !== undefined && !(isBag(input) && Object.keys(input).length === 0)) {
      throw new MambuTsError(`${label} takes no body (${op.method} ${op.path})`);
    }
    return { body: undefined };
  }
  let body: unknown;
  if (spec.type === "array") {
    const ref = spec.items?.ref;
    if (!Array.isArray(input)) throw new MambuTsError(`${label}: expected a list${ref ? ` of ${ref}` : ""}`);
    body = input.map((x, i) => (ref ? buildBody(owner, resource, ref, asBag(x, `${label}[${i}]`), `${label}[${i}]`) : x));
  } else if (spec.ref) {
    body = buildBody(owner, resource, spec.ref, input === undefined ? {} : asBag(input, label), label);
  } else {
    body = input ?? {};
  }
  const text = stringifyExact(body);
  const json: unknown = JSON.parse(text);
  const problems = validateAgainst(resource, spec, json, { path: label });
  if (problems.length) throw new MambuTsError(problems.join("; "));
  const revealed: string[] = [];
  return revealSecrets(body, revealed) === body && revealed.length === 0 ? { body, checked: { body, spec, text, json } } : { body };
}

function isBag(v: unknown): v is Bag {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function asBag(v: unknown, label: string): Bag {
  if (!isBag(v)) throw new MambuTsError(`${label}: options must be an object`);
  return v;
}

/** The definition name of an operation's body (or of the items of a list body), if any. @internal */
export function bodyDefinition(op: OperationSpec): string | undefined {
  const spec: FieldSpec | undefined = op.body?.type === "array" ? op.body.items : op.body;
  return spec?.ref;
}

/** Refuses an answer that is not a JSON object (where Mambu documents one). @internal */
export function expectRecord(answer: unknown, what: string, label: string): Bag {
  if (!isBag(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected ${what} as a JSON object`);
  return answer;
}

/**
 * Takes an answer that is this very entity (a JSON object with its encodedKey) as its new state;
 * anything else (no body, another record) leaves it as last read. Returns the entity. @internal
 */
export function adoptAnswer<E extends MambuEntity>(entity: E, answer: unknown): E {
  const key = entity[RAW].encodedKey;
  if (isBag(answer) && typeof key === "string" && answer.encodedKey === key) entity.adopt(answer);
  return entity;
}

/**
 * Performs `resource.operationId` (e.g. `("loans", "reschedule")`) on `account`: builds the body from
 * `input` (see {@link contractBody}), sends it with the account's connector and `action.idempotencyKey`,
 * re-reads the account unless `action.reread === false`, and returns the account, the created
 * transaction (an entity of `txClass`) or Mambu's answer, as `returns` says.
 * @throws MambuTsError before any request for an unknown operation or a body that does not follow its
 *   definition (what to fix in the message); MambuError when Mambu refuses it.
 */
export function accountOperation<A extends MambuEntity>(
  account: A, resource: string, operationId: string, input: unknown, action: ActionOptions, opts: AccountOperationOptions & { returns: "account" },
): Promise<A>;
export function accountOperation<T extends MambuEntity>(
  account: MambuEntity, resource: string, operationId: string, input: unknown, action: ActionOptions,
  opts: AccountOperationOptions<T> & { returns: "transaction"; txClass: EntityClass<T> },
): Promise<T>;
export function accountOperation(
  account: MambuEntity, resource: string, operationId: string, input: unknown, action: ActionOptions, opts: AccountOperationOptions & { returns: "answer" },
): Promise<unknown>;
export async function accountOperation<A extends MambuEntity, T extends MambuEntity = MambuEntity>(
  account: A,
  resource: string,
  operationId: string,
  input: unknown,
  action: ActionOptions,
  opts: AccountOperationOptions<T>,
): Promise<unknown> {
  const op = operationSpec(resource, operationId);
  const label = opts.label ?? `${resource}.${operationId}`;
  checkReread(action.reread);
  if (opts.returns === "transaction" && !opts.txClass) throw new MambuTsError(`${label}: returns "transaction" needs a txClass`);
  const ids = opts.ids ?? [entityKey(account)];
  if (ids.length !== op.pathParams.length) {
    throw new MambuTsError(`${label}: ${op.method} ${op.path} takes ${op.pathParams.length} path parameter(s), got ${ids.length}`);
  }
  const path: Record<string, string> = {};
  op.pathParams.forEach((name, i) => {
    path[name] = ids[i];
  });
  const { body, checked } = checkedContractBody(account, resource, op, input, label);
  const answer = await sendOperation(resource, operationId, {
    path, query: opts.query, body, connector: connectorOf(account), idempotencyKey: action.idempotencyKey,
  }, checked);
  switch (opts.returns) {
    case "transaction": {
      const cls = opts.txClass!;
      const tx = cls.fromWire(expectRecord(answer, `the ${cls.name}`, label), connectorOf(account), { detailsLevel: "FULL" });
      if (action.reread !== false) await account.refresh();
      return tx;
    }
    case "account":
      if (action.reread === false) return adoptAnswer(account, answer);
      return account.refresh();
    default:
      if (action.reread !== false) await account.refresh();
      return answer;
  }
}
