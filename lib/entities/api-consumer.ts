/**
 * API consumers (`/api/consumers`): the tenant's API users — a name, a `type` (MAMBU_API, STREAMING_API,
 * AUDIT_TRAIL, PAYMENTS), a `role` and `access` rights — and their API keys and secret keys. Every key Mambu
 * answers comes back as a {@link Secret}: it prints `****`, and `reveal()` gives its value.
 */
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf, EntityClass, EntitySpec, GetAllOptions, MambuEntity, WriteOptions } from "../core/entity";
import "../core/entity-methods";
import { entityKey } from "../core/account-operation";
import { checkExpirationTime } from "../core/apikey-rotation";
import type { MambuList } from "../core/list";
import type { Listable, Listing, LooseGetAllOptions } from "../core/query-types";
import { MambuTsError } from "../errors";
import type { ApiConsumer, ApiConsumerStruct, QueryParameters } from "../generated/types/consumers";
import type { MambuConnector, Secret } from "../transport";
import { ApiKeyInfo, CreatedApiKey, readApiKeyList, readCreatedApiKey, readSecretKey } from "./api-key";

export type { ApiKeyInfo, CreatedApiKey } from "./api-key";

/** The consumer types of `GET /consumers?type=` and of `ApiConsumer.type`. */
export const API_CONSUMER_TYPES: readonly ApiConsumer["type"][] = ["MAMBU_API", "STREAMING_API", "AUDIT_TRAIL", "PAYMENTS"];

/** The fields of a new consumer (`MambuApiConsumer.create({...})`): `name` and `type` required. */
export type ApiConsumerFields = Partial<Omit<ApiConsumerStruct, "creationDate" | "lastModifiedDate" | "encodedKey" | "id">> & Pick<ApiConsumer, "name" | "type">;

/** Options of the key methods that write (`createApiKey`, `createSecretKey`, `deleteApiKey`). */
export interface ApiKeyWriteOptions {
  /** `Idempotency-Key` (v4 UUID) of a create; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
  /** Aborts the request and its retries. */
  signal?: AbortSignal;
}

/** Options of `consumer.createApiKey()`. */
export interface CreateApiKeyOptions extends ApiKeyWriteOptions {
  /** Time to live of the key in seconds, an integer from 0 to 100000000; without it the key does not expire (unless the tenant's preferences set one). */
  expirationTime?: number;
}

function checkId(label: string, id: unknown): string {
  if (typeof id !== "string" || id.trim() === "") throw new MambuTsError(`${label}: the key id must be a non-empty string`);
  return id;
}

/**
 * A Mambu API consumer: `name`, `type`, `role` ({ encodedKey, id }), `access` (rights, managed branches,
 * permissions), `assignedBranchKey`, `transactionLimits`; `id`, `encodedKey`, `creationDate` and
 * `lastModifiedDate` read-only. Read with `MambuApiConsumer.get(idOrKey)` or `getAll({ type, offset, limit })`;
 * written with `create()`, `update()` (PUT), `patch()` (what changed) and `delete()`; its keys with `apiKeys()`,
 * `createApiKey()`, `deleteApiKey(id)` and `createSecretKey()`.
 */
export class MambuApiConsumer extends MambuEntity {
  static override resource = "consumers";
  static override definition = "ApiConsumer";
  static override spec = {
    prefix: "consumers",
    writable: true,
  } as const satisfies EntitySpec;

  /**
   * Consumers (`GET /consumers`), paged as every `getAll` (await for an array, `for await` to stream);
   * `type` (one of {@link API_CONSUMER_TYPES}) keeps one type only.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, options?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const o = (options ?? {}) as LooseGetAllOptions;
    checkOptionKeys("MambuApiConsumer.getAll", o, ["type", "offset", "limit", "paginationDetails", "connector"]);
    if (o.type !== undefined && !API_CONSUMER_TYPES.includes(o.type as ApiConsumer["type"])) {
      throw new MambuTsError(`MambuApiConsumer.getAll: type must be one of ${API_CONSUMER_TYPES.join(", ")}, got ${JSON.stringify(o.type)}`);
    }
    return super.getAll<T>(o as never);
  }

  /**
   * Creates a consumer (`POST /consumers`) from its fields and resolves to it as Mambu answers it (id,
   * encodedKey, dates): `await MambuApiConsumer.create({ name: "payments-gateway", type: "MAMBU_API" })`.
   * The same as `new MambuApiConsumer(fields).create(opts)`.
   * @throws MambuTsError before sending, for a field the API does not know; MambuError when Mambu refuses.
   */
  static async create(fields: ApiConsumerFields, opts: WriteOptions & { connector?: MambuConnector } = {}): Promise<MambuApiConsumer> {
    if (fields === null || typeof fields !== "object" || Array.isArray(fields)) throw new MambuTsError("MambuApiConsumer.create: give the consumer's fields ({ name, type, ... })");
    return new MambuApiConsumer(fields as Record<string, unknown>).create(opts);
  }

  /**
   * The consumer's API keys (`GET /consumers/{id}/apikeys`): each `{ id, expirationTime?, apiKey? }`, the key as
   * Mambu lists it wrapped in a {@link Secret}.
   */
  async apiKeys(opts: { signal?: AbortSignal } = {}): Promise<ApiKeyInfo[]> {
    const label = "MambuApiConsumer.apiKeys";
    checkOptionKeys(label, opts, ["signal"]);
    const answer = await callOperation("consumers", "getApiKeysByConsumerId", {
      path: { apiConsumerId: entityKey(this) }, connector: connectorOf(this), signal: opts.signal, secretAnswer: true,
    });
    return readApiKeyList(label, answer);
  }

  /**
   * Creates an API key for the consumer (`POST /consumers/{id}/apikeys`), with an Idempotency-Key (the same on
   * every retry). Resolves to `{ id, expirationTime?, apiKey }`, `apiKey` a {@link Secret}: Mambu shows the whole
   * key only in this answer — `reveal()` it once to store it.
   * @throws MambuTsError before sending, for an `expirationTime` that is not an integer from 0 to 100000000.
   */
  async createApiKey(opts: CreateApiKeyOptions = {}): Promise<CreatedApiKey> {
    const label = "MambuApiConsumer.createApiKey";
    checkOptionKeys(label, opts, ["expirationTime", "idempotencyKey", "signal"]);
    const expirationTime = checkExpirationTime(label, opts.expirationTime);
    const answer = await callOperation("consumers", "createApiKeyForConsumer", {
      path: { apiConsumerId: entityKey(this) },
      body: expirationTime === undefined ? {} : { expirationTime },
      connector: connectorOf(this), signal: opts.signal, idempotencyKey: opts.idempotencyKey, secretAnswer: true,
    });
    return readCreatedApiKey(label, answer);
  }

  /** Deletes one of the consumer's API keys by its id (`DELETE /consumers/{id}/apikeys/{apiKeyId}`): the key stops working. */
  async deleteApiKey(apiKeyId: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    const label = "MambuApiConsumer.deleteApiKey";
    checkOptionKeys(label, opts, ["signal"]);
    await callOperation("consumers", "deleteApiKeyForConsumer", {
      path: { apiConsumerId: entityKey(this), apiKeyId: checkId(label, apiKeyId) }, connector: connectorOf(this), signal: opts.signal,
    });
  }

  /**
   * Creates a secret key for the consumer (`POST /consumers/{id}/secretkeys`; it authorises `rotateApiKey`),
   * with an Idempotency-Key. Resolves to the key as a {@link Secret}: Mambu shows it only in this answer.
   */
  async createSecretKey(opts: ApiKeyWriteOptions = {}): Promise<Secret> {
    const label = "MambuApiConsumer.createSecretKey";
    checkOptionKeys(label, opts, ["idempotencyKey", "signal"]);
    const answer = await callOperation("consumers", "createSecretKeyForConsumer", {
      path: { apiConsumerId: entityKey(this) }, connector: connectorOf(this), signal: opts.signal, idempotencyKey: opts.idempotencyKey, secretAnswer: true,
    });
    return readSecretKey(label, answer);
  }
}
export interface MambuApiConsumer extends ApiConsumerStruct, Listable<Listing<QueryParameters["GET /consumers"], typeof MambuApiConsumer.spec>> {}
