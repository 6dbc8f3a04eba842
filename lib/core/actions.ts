/**
 * Operations on an entity (`loan.disburse(...)`, `loan.setState(...)`): the body is built from the
 * caller's options against the Swagger definition of the endpoint (unknown keys are errors; dates
 * without an offset take the entity's offset; amounts exact), posted under the entity's path, and
 * the answer parsed exactly.
 */
import { definition } from "../contract/schema";
import { hasOwn } from "./clone";
import { connectorOf, MambuEntity, requestJson } from "./entity";
import { MambuTsError } from "../errors";
import { stringifyExact } from "./json";
import { dehydrate } from "./struct";

type Bag = Record<string, unknown>;

/**
 * Builds a request body from user options for a definition of a Swagger resource
 * (e.g. `("loans_transactions", "RepaymentLoanTransactionInput")`). Values are converted like
 * entity fields; naive dates take `owner`'s offset (or the configured tenant offset).
 */
export function buildBody(owner: MambuEntity, resource: string, def: string, input: Bag | undefined, label: string): Bag {
  const fields = definition(resource, def).fields;
  const out: Bag = {};
  if (input === undefined || input === null) return out;
  if (typeof input !== "object" || Array.isArray(input)) throw new MambuTsError(`${label}: options must be an object`);
  for (const [k, v] of Object.entries(input)) {
    if (!hasOwn(fields, k) && !k.startsWith("_")) {
      throw new MambuTsError(`${label}: unknown option "${k}" (known: ${Object.keys(fields).sort().join(", ")})`);
    }
    if (v === undefined) continue;
    out[k] = dehydrate(fields[k], v, `${label}.${k}`, owner, resource);
  }
  return out;
}

/** Options every operation accepts besides its body. */
export interface ActionOptions {
  /** Idempotency-Key (v4 UUID) for this operation; a random one otherwise. Reused on retries. */
  idempotencyKey?: string;
  /**
   * `false`: one request, no re-read of the account afterwards; Mambu's answer is taken as the new
   * state. A transaction comes back built from the answer; a state change (`setState`, `approve`,
   * ...) adopts the account Mambu answers with; an operation Mambu answers without a body
   * (`writeOff`, `payOff`, `applyInterest`) leaves the account as it was last read. Default `true`:
   * the account is re-read, so that its state and balances are current.
   */
  reread?: boolean;
}

/**
 * POSTs `body` to the entity's path plus `suffix` (`":changeState"`, `"/repayment-transactions"`)
 * and returns Mambu's parsed answer (undefined for 204).
 */
export async function postAction(owner: MambuEntity, suffix: string, body: Bag | undefined, opts: ActionOptions = {}): Promise<unknown> {
  const { body: answer } = await requestJson(connectorOf(owner), {
    method: "POST",
    path: owner.entityPath() + suffix,
    bodyText: body === undefined ? undefined : stringifyExact(body),
    idempotencyKey: opts.idempotencyKey,
  });
  return answer;
}

/** Splits `idempotencyKey` and `reread` off an options object (`reread` must be a boolean). */
export function splitActionOptions<T extends Bag>(opts: (T & ActionOptions) | undefined): [Bag, ActionOptions] {
  if (opts === undefined || opts === null) return [{}, {}];
  const { idempotencyKey, reread, ...rest } = opts;
  checkReread(reread);
  return [rest, { idempotencyKey, reread }];
}

/** Refuses a `reread` option that is not a boolean. @internal */
export function checkReread(reread: unknown): void {
  if (reread !== undefined && typeof reread !== "boolean") throw new MambuTsError(`reread must be true or false, got ${JSON.stringify(reread)}`);
}
