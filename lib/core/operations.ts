/**
 * Account operations shared by loans and deposits: a body built from the caller's options and
 * checked against its Swagger definition before any request (unknown keys, missing required fields,
 * enums and types are `MambuTsError`s), posted, then the account re-read so that its balances and
 * state are current (or, with `reread: false`, Mambu's answer taken as the new state: one request).
 * Transactions come back as entities of their own; nothing an operation returns is stored as a
 * field that `update()` would send.
 */
import type Decimal from "decimal.js";
import type { DateTime } from "luxon";
import { findOperation, validateAgainst } from "../contract/schema";
import { encodeSegment } from "../transport";
import type { MambuConnector } from "../transport";
import { ActionOptions, buildBody, checkReread, splitActionOptions } from "./actions";
import { accountOperation, bodyDefinition } from "./account-operation";
import { operationSpec } from "./call";
import { checkOptionKeys, connectorOf, EntityClass, listOf, MambuEntity } from "./entity";
import { MambuTsError } from "../errors";
import { RawNumber, stringifyExact } from "./json";
import { MambuList } from "./list";
import { setTransient } from "./relations";


type Bag = Record<string, unknown>;

/**
 * A money amount: a Decimal, a number, a numeric string, or a {@link RawNumber} (a JSON number's
 * exact text, sent as it is: `1500.50` stays `1500.50`). Never through a float.
 */
export type Amount = Decimal | number | string | RawNumber;

/** A date-time input: a luxon DateTime, a Date or an ISO string (naive values take the account's offset). */
export type DateInput = DateTime | Date | string;

/**
 * The input shape of a Swagger definition as a caller may write it: every field optional, amounts
 * as {@link Amount}, dates as {@link DateInput}.
 */
export type Input<T> = T extends Decimal
  ? Amount
  : T extends DateTime
    ? DateInput
    : T extends readonly (infer U)[]
      ? Input<U>[]
      : T extends object
        ? { [K in keyof T]?: Input<T[K]> }
        : T;

/** Custom field sets of a transaction (`{ _Set: { field: value } }`), sent as given. */
export type CustomFieldSets = { [customFieldSet: `_${string}`]: Record<string, unknown> };

/**
 * Which operation an account operation is: by its contract name (`{ resource: "loans_transactions",
 * operationId: "makeRepayment" }`), or, as before, by the suffix of the account's path and the body's
 * definition (`{ suffix: "/repayment-transactions", definition: "RepaymentLoanTransactionInput" }`),
 * which must name an operation of the contract. @internal
 */
export type OperationTarget =
  | {
      /** Label for messages, e.g. "MambuLoan.repay". */
      label: string;
      /** Swagger resource of the operation, e.g. "loans_transactions". */
      resource: string;
      /** The operation's operationId, e.g. "makeRepayment". */
      operationId: string;
    }
  | {
      /** Label for messages, e.g. "MambuLoan.repay". */
      label: string;
      /** Swagger resource holding the body definition, e.g. "loans_transactions". */
      resource: string;
      /** Body definition, e.g. "RepaymentLoanTransactionInput". */
      definition: string;
      /** Suffix of the account's path, e.g. "/repayment-transactions" or ":changeState". */
      suffix: string;
    };

/**
 * The contract operation of a target: its own operationId, or the POST operation under the account's
 * path plus the suffix, whose body must be the named definition. @internal
 */
export function targetOperation(account: MambuEntity, target: OperationTarget): { resource: string; operationId: string } {
  if ("operationId" in target) return { resource: target.resource, operationId: target.operationId };
  const match = findOperation("POST", account.entityPath() + target.suffix);
  const id = match?.op.operationId;
  if (!match || !id || match.resource !== target.resource || bodyDefinition(match.op) !== target.definition) {
    throw new MambuTsError(`${target.label}: POST …${target.suffix} with a ${target.definition} body is no operation of the ${target.resource} contract`);
  }
  return { resource: match.resource, operationId: id };
}

/**
 * Builds a body from options (amounts exact, naive dates in `owner`'s offset) and validates it
 * against the definition, required fields included. @internal
 */
export function operationBody(owner: MambuEntity, resource: string, def: string, input: Bag, label: string): Bag {
  const body = buildBody(owner, resource, def, input, label);
  const problems = validateAgainst(resource, { type: "object", ref: def }, JSON.parse(stringifyExact(body)), { path: label });
  if (problems.length) throw new MambuTsError(problems.join("; "));
  return body;
}

/**
 * Splits an operation's options into body fields and {@link ActionOptions}, puts the positional
 * arguments (amount, notes, ...) in, and refuses options that repeat a positional one. @internal
 */
export function operationInput(label: string, opts: Bag | undefined, positional: Bag = {}): [Bag, ActionOptions] {
  if (opts !== undefined && opts !== null && (typeof opts !== "object" || Array.isArray(opts))) {
    throw new MambuTsError(`${label}: options must be an object`);
  }
  const [rest, action] = splitActionOptions(opts ?? {});
  for (const k of Object.keys(positional)) {
    if (k in rest) throw new MambuTsError(`${label}: give ${k} as an argument, not as an option`);
  }
  const input: Bag = {};
  for (const [k, v] of Object.entries(positional)) if (v !== undefined) input[k] = v;
  return [Object.assign(input, rest), action];
}

/**
 * Posts a transaction input under the account (`/loans/{id}/repayment-transactions`, through
 * {@link accountOperation}: method, path and body definition from the contract), re-reads the
 * account (unless `reread: false`), and returns the created transaction, built from Mambu's
 * answer, as an entity of `txClass`. @internal
 */
export async function postTransaction<T extends MambuEntity>(
  account: MambuEntity, txClass: EntityClass<T>, target: OperationTarget, input: Bag, action: ActionOptions,
): Promise<T> {
  const { resource, operationId } = targetOperation(account, target);
  return accountOperation(account, resource, operationId, input, action, { returns: "transaction", txClass, label: target.label });
}

/**
 * Posts an action under the account (`:changeState`, `:writeOff`, `:payOff`, `:applyInterest`),
 * re-reads the account and returns it. With `reread: false`, the account Mambu answers with (if
 * any) becomes its state instead. @internal
 */
export async function postAccountAction<E extends MambuEntity>(account: E, target: OperationTarget, input: Bag, action: ActionOptions): Promise<E> {
  const { resource, operationId } = targetOperation(account, target);
  return accountOperation(account, resource, operationId, input, action, { returns: "account", label: target.label });
}

/**
 * `setState(action, notes)`: posts `{ action, notes }` to `:changeState` (the action checked
 * against the definition's enum first), re-reads the account and returns it. @internal
 */
export async function changeState<E extends MambuEntity>(
  account: E, resource: string, def: string, action: string, notes: string | undefined, opts: ActionOptions | undefined, label: string,
): Promise<E> {
  checkOptionKeys(label, opts, ["idempotencyKey", "reread"]);
  checkReread(opts?.reread);
  if (typeof action !== "string") throw new MambuTsError(`${label}: action must be a string`);
  if (notes !== undefined && typeof notes !== "string") throw new MambuTsError(`${label}: notes must be a string`);
  if (bodyDefinition(operationSpec(resource, "changeState")) !== def) throw new MambuTsError(`${label}: ${resource}.changeState takes no ${def} body`);
  return accountOperation(account, resource, "changeState", { action, notes }, opts ?? {}, { returns: "account", label });
}

/** An entity given by id/encodedKey, or as the entity (or any `{ encodedKey }` / `{ id }`). */
export type EntityRef = string | { encodedKey?: unknown; id?: unknown };

/**
 * The key of a reference: a string as given; an object's encodedKey (it never changes), else its
 * id. `what` names the expected entity in messages. @internal
 */
export function refKey(ref: EntityRef | undefined, what: string, label: string): string {
  const key = typeof ref === "string" ? ref : ref !== null && typeof ref === "object" ? (ref.encodedKey ?? ref.id) : undefined;
  if (typeof key !== "string" || key.trim() === "") {
    throw new MambuTsError(`${label}: ${what} must be an id, an encodedKey or the entity`);
  }
  return key;
}

/**
 * Adjusts (reverses) a transaction: `POST /{txPrefix}/{id}:adjust`. `owner` gives the connector and
 * the offset of naive dates. Returns Mambu's answer as an entity of `txClass`. @internal
 */
export async function adjustTransaction<T extends MambuEntity>(
  owner: MambuEntity, txClass: EntityClass<T>, key: string, def: string, input: Bag, action: ActionOptions, label: string,
): Promise<T> {
  if (bodyDefinition(operationSpec(txClass.resource, "adjust")) !== def) throw new MambuTsError(`${label}: ${txClass.resource}.adjust takes no ${def} body`);
  return accountOperation(owner, txClass.resource, "adjust", input, { idempotencyKey: action.idempotencyKey, reread: false }, {
    returns: "transaction", txClass, label, ids: [key],
  });
}

/** Options of an account's transaction listing. */
export interface TransactionListOptions {
  offset?: number;
  limit?: number;
  detailsLevel?: "BASIC" | "FULL";
  paginationDetails?: "ON" | "OFF";
}

/**
 * The transactions of an account (`GET /{accountPrefix}/{id}/transactions`, paginated like getAll).
 * With `owner`, awaiting the list also sets `owner[property]` (never sent back to Mambu). @internal
 */
export function accountTransactions<T extends MambuEntity>(
  txClass: EntityClass<T>,
  accountPath: string,
  opts: (TransactionListOptions & { connector?: MambuConnector }) | undefined,
  label: string,
  owner?: { entity: MambuEntity; property: string },
): MambuList<T> {
  checkOptionKeys(label, opts, ["offset", "limit", "detailsLevel", "paginationDetails", "connector"]);
  const list = listOf(txClass, { method: "GET", path: `${accountPath}/transactions`, query: {} }, {
    ...(opts ?? {}), connector: opts?.connector ?? (owner ? connectorOf(owner.entity) : undefined),
  });
  if (owner) {
    const original = list.toArray.bind(list);
    list.toArray = () => original().then((txs) => (setTransient(owner.entity, owner.property, txs), txs));
  }
  return list;
}

/**
 * `getAll()` of a transaction class: the transactions of one account, named by `accountOption`
 * (`{ loanAccountId: "54321" }`, an id, encodedKey or the account entity). @internal
 */
export function transactionsGetAll<T extends MambuEntity>(
  txClass: EntityClass<T>, accountPrefix: string, accountOption: string, opts: Bag | undefined,
): MambuList<T> {
  const label = `${txClass.name}.getAll`;
  const { [accountOption]: account, ...rest } = (opts ?? {}) as Bag;
  if (rest.filters !== undefined || rest.sortBy !== undefined) {
    throw new MambuTsError(`${label} takes no filters or sortBy; use ${txClass.name}.search() for criteria`);
  }
  if (account === undefined) throw new MambuTsError(`${label}: give ${accountOption} (the id or encodedKey of the account, or the account)`);
  const key = refKey(account as EntityRef, accountOption, label);
  const connector = account instanceof MambuEntity && rest.connector === undefined ? connectorOf(account) : rest.connector;
  return accountTransactions(txClass, `/${accountPrefix}/${encodeSegment(key)}`, { ...rest, connector } as never, label);
}

/**
 * `account.adjustTransaction(tx, notes)`: checks that the transaction belongs to the account (a
 * transaction given by id is read first), adjusts it, re-reads the account and returns the
 * transaction Mambu answers with. @internal
 */
export async function adjustAccountTransaction<T extends MambuEntity>(
  account: MambuEntity, txClass: EntityClass<T>, ref: EntityRef, def: string, input: Bag, action: ActionOptions, label: string,
): Promise<T> {
  let key = refKey(ref, "transaction", label);
  let parent = ref instanceof MambuEntity ? (ref as unknown as Bag).parentAccountKey : undefined;
  if (!(ref instanceof MambuEntity)) {
    const tx = await txClass.get(key, { connector: connectorOf(account) });
    parent = (tx as unknown as Bag).parentAccountKey;
    key = refKey(tx as unknown as EntityRef, "transaction", label);
  }
  const accountKey = (account as unknown as Bag).encodedKey;
  if (typeof parent === "string" && typeof accountKey === "string" && parent !== accountKey) {
    throw new MambuTsError(`${label}: transaction ${key} belongs to another account (${parent}), not to ${accountKey}`);
  }
  const result = await adjustTransaction(account, txClass, key, def, input, action, label);
  if (action.reread !== false) await account.refresh();
  return result;
}

/**
 * `transaction.adjust(notes)`: adjusts the transaction, re-reads it (and its account when it was
 * fetched as `tx[parentProperty]`), and returns the transaction Mambu answers with (the transaction
 * itself when Mambu answers with it, else the new adjustment transaction). @internal
 */
export async function adjustSelf<T extends MambuEntity>(tx: T, def: string, input: Bag, action: ActionOptions, parentProperty: string, label: string): Promise<T> {
  const cls = tx.constructor as EntityClass<T>;
  const key = refKey(tx as unknown as EntityRef, "transaction", label);
  const result = await adjustTransaction(tx, cls, key, def, input, action, label);
  const same = (result as unknown as Bag).encodedKey === (tx as unknown as Bag).encodedKey;
  if (action.reread === false) {
    // no re-read: the answer, when it is this transaction, is its new state
    if (same) tx.adopt(result.toJSON());
    return same ? tx : result;
  }
  await tx.refresh();
  const parent = (tx as unknown as Bag)[parentProperty];
  if (parent instanceof MambuEntity) await parent.refresh();
  return same ? tx : result;
}
