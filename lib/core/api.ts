/**
 * `api`: every operation of the contract as a typed function, `api.<resource>.<operationId>(...)`,
 * assembled from the generated descriptors (lib/generated/operations) over the one caller,
 * {@link callOperation}. Arguments: the operation's path and query parameters in one object, then its
 * body when it takes one, then {@link CallOptions}:
 *
 * ```ts
 * await api.loans.getById({ loanAccountId: "54321", detailsLevel: "FULL" });
 * await api.loans.writeOff({ loanAccountId: "54321" }, { notes: "uncollectable" }, { connector });
 * ```
 *
 * Bodies take the wire shape (amounts as Decimal, number, numeric string or RawNumber; dates as DateTime
 * or ISO strings); answers are Mambu's JSON (numbers as numbers, or RawNumber when a double would change
 * them; dates as strings; credentials — `api.consumers.createApiKeyForConsumer`'s `apiKey`,
 * `api.apikey_rotation.rotateKey`'s pair — as `Secret`s: `****` when printed, `reveal()` for the value).
 */
import type Decimal from "decimal.js";
import type { DateTime } from "luxon";
import { OPERATIONS } from "../generated/operations";
import type { AnyOperation, OperationDescriptor, RawBody } from "../generated/operations/_op";
import { MambuTsError } from "../errors";
import { callOperation, CallOptions, operationSpec } from "./call";
import type { RawNumber } from "./json";
import type { SecretValue } from "../contract/secret-value";
import type { ApiName } from "../contract/schema";
import type { Secret } from "../transport";

/**
 * What a body may hold where the contract says `T` (hydrated type): amounts and dates as the caller has them,
 * a credential as a `Secret` or its text.
 */
export type WireInput<T> = T extends SecretValue
  ? Secret | string
  : T extends Decimal
    ? Decimal | number | string | RawNumber
    : T extends DateTime
      ? DateTime | Date | string
      : T extends Uint8Array
        ? T
        : T extends readonly (infer U)[]
          ? WireInput<U>[]
          : T extends object
            ? { [K in keyof T]: WireInput<T[K]> }
            : T;

/**
 * What Mambu's JSON answer holds where the contract says `T`: numbers (RawNumber when not exact as a double), date
 * strings, credentials (a new API key, a secret key) as `Secret`s.
 */
export type WireOutput<T> = T extends SecretValue
  ? Secret
  : T extends Decimal
    ? number | RawNumber
    : T extends DateTime
      ? string
      : T extends Uint8Array
        ? Buffer
        : T extends readonly (infer U)[]
          ? WireOutput<U>[]
          : T extends object
            ? { [K in keyof T]: WireOutput<T[K]> }
            : T;

/** The path and query parameters of an operation descriptor, in one object. */
export type ParamsOf<D> = D extends OperationDescriptor<infer P, infer Q, unknown, unknown> ? P & Q : never;
/** The request body of an operation descriptor (`never`: none). */
export type BodyOf<D> = D extends OperationDescriptor<unknown, unknown, infer B, unknown> ? B : never;
/** The answer of an operation descriptor (hydrated types). */
export type ResponseOf<D> = D extends OperationDescriptor<unknown, unknown, unknown, infer R> ? R : never;

type BodyInput<B> = B extends RawBody ? RawBody : B extends string ? string : WireInput<B>;

type ParamsArgs<P> = {} extends P ? [params?: P] : [params: P];

/** The arguments of an operation function: parameters, the body when it takes one, options. */
export type OperationArgs<P, B> = [B] extends [never]
  ? [...ParamsArgs<P>, options?: CallOptions]
  : undefined extends B
    ? [params: P, body?: BodyInput<Exclude<B, undefined>>, options?: CallOptions]
    : [params: P, body: BodyInput<B>, options?: CallOptions];

/** One operation as a function, carrying its descriptor. */
export type OperationFunction<D> = ((...args: OperationArgs<ParamsOf<D>, BodyOf<D>>) => Promise<WireOutput<ResponseOf<D>>>) & {
  readonly descriptor: D;
};

/** Every operation of the contract: `Api["loans"]["writeOff"]`. */
export type Api = {
  readonly [R in keyof typeof OPERATIONS]: { readonly [O in keyof (typeof OPERATIONS)[R]]: OperationFunction<(typeof OPERATIONS)[R][O]> };
};

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The function of one descriptor: splits its parameters into path and query and calls {@link callOperation}. */
function bind(d: AnyOperation, api: ApiName): (...args: unknown[]) => Promise<unknown> {
  const label = `${api === "v2" ? "api" : api}.${d.resource}.${d.operationId}`;
  const fn = async (...args: unknown[]): Promise<unknown> => {
    const op = operationSpec(d.resource, d.operationId, api);
    const takesBody = op.body !== undefined || op.formData !== undefined;
    const [params = {}, a, b] = args;
    const body = takesBody ? a : undefined;
    const options = (takesBody ? b : a) ?? {};
    if (!isPlain(params)) throw new MambuTsError(`${label}: the first argument is the parameters object, e.g. ${example(op.pathParams)}`);
    if (!isPlain(options)) throw new MambuTsError(`${label}: options must be an object ({ connector?, idempotencyKey?, signal? })`);
    const path: Record<string, string | number> = {};
    const query: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) {
      if (op.pathParams.includes(k)) path[k] = v as string | number;
      else query[k] = v;
    }
    return callOperation(d.resource, d.operationId, { ...(options as CallOptions), api, path, query, body });
  };
  return Object.defineProperty(fn, "descriptor", { value: d, enumerable: false });
}

function example(names: string[]): string {
  return `{ ${names.map((n) => `${n}: "..."`).join(", ")} }`;
}

/**
 * The frozen namespace of an API's generated descriptors (`OPERATIONS.<resource>.<operationId>`), each bound to
 * {@link callOperation} for that API. Used by `api` and lib/core/services.ts's `services`.
 * @internal
 */
export function buildOperations(table: Record<string, Record<string, AnyOperation>>, api: ApiName): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [r, ops] of Object.entries(table)) {
    const fns: Record<string, unknown> = {};
    for (const [id, d] of Object.entries(ops)) fns[id] = bind(d, api);
    out[r] = Object.freeze(fns);
  }
  return Object.freeze(out);
}

function build(): Api {
  return buildOperations(OPERATIONS as unknown as Record<string, Record<string, AnyOperation>>, "v2") as unknown as Api;
}

/**
 * Every operation of Mambu's API v2 contract, by resource and operationId, each sent through the one
 * transport (authentication, retries, idempotency keys, exact JSON, typed errors):
 * `await api.loans.writeOff({ loanAccountId: "54321" }, { notes: "uncollectable" })`.
 */
export const api: Api = build();
