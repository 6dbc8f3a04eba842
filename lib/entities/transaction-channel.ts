/**
 * Transaction channels (`/api/organization/transactionChannels`): the ways money comes in and goes out (cash,
 * bank transfer, agents), named by `transactionDetails.transactionChannelId` on disbursements, repayments,
 * deposits and withdrawals.
 */
import { expectRecord } from "../core/account-operation";
import { callOperation } from "../core/call";
import type { Chain } from "../core/chain";
import { checkOptionKeys, connectorOf, EntityClass, EntitySpec, GetAllOptions, MambuEntity, WriteOptions } from "../core/entity";
import "../core/entity-methods";
import { MambuList } from "../core/list";
import type { PatchOperation } from "../core/patch";
import { RAW } from "../core/symbols";
import type { TransactionChannel } from "../generated/types/organization_transactionChannels";
import { MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";
import { getWhole, wholeList, WholeResource } from "../core/whole-list";

type Bag = Record<string, unknown>;

/** Options of `MambuTransactionChannel.getAll(...)`. */
export interface TransactionChannelListOptions {
  /** Only channels in this state. */
  transactionChannelState?: "ACTIVE" | "INACTIVE";
  /** BASIC (default) or FULL. */
  detailsLevel?: "BASIC" | "FULL";
  /** Skip this many channels of the list (applied to the list Mambu answers: it pages it not). */
  offset?: number;
  /** At most this many channels (likewise). */
  limit?: number;
  /** Accepted for the listing's common options; Mambu sends no total for this list. */
  paginationDetails?: "ON" | "OFF";
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
}


const UNCONSTRAINED = (): Bag => ({ usage: "UNCONSTRAINED", constraints: [] });

/** Where transaction channels are read (one unpaged list). */
const CHANNELS: WholeResource = { resource: "organization_transactionChannels", idParam: "transactionChannelId", what: "a transaction channel" };

/**
 * A transaction channel (Swagger `TransactionChannel`): `id`, `name`, `state` (ACTIVE, INACTIVE), `glAccount`,
 * `isDefault` (read-only: Mambu's default channel), `availableForAll` and `usageRights` (role keys),
 * `loanConstraints` / `depositConstraints` (`usage` UNCONSTRAINED or LIMITED with `constraints`). Created, read,
 * listed, replaced (`update()`) and deleted; Mambu refuses a duplicate id or name, deleting the default channel
 * (CANNOT_DELETE_DEFAULT_TRANSACTION_CHANNEL) and deleting one transactions were made through
 * (TRANSACTION_CHANNEL_IN_USE).
 */
export class MambuTransactionChannel extends MambuEntity {
  static override resource = "organization_transactionChannels";
  static override definition = "TransactionChannel";
  static override spec = { prefix: "organization/transactionChannels", writable: true } as const satisfies EntitySpec;

  /**
   * Every transaction channel (`GET /organization/transactionChannels`: one list, Mambu pages it not), optionally
   * only those of a `transactionChannelState`; `offset` and `limit` cut the list Mambu answers.
   */
  static override getAll<T extends MambuEntity>(this: EntityClass<T>, opts?: NoInfer<GetAllOptions<T>>): MambuList<T> {
    const label = "MambuTransactionChannel.getAll";
    const o = (opts ?? {}) as TransactionChannelListOptions;
    checkOptionKeys(label, o, ["transactionChannelState", "detailsLevel", "offset", "limit", "paginationDetails", "connector"]);
    // checked now (callOperation checks the query again when the list is read)
    if (o.transactionChannelState !== undefined && o.transactionChannelState !== "ACTIVE" && o.transactionChannelState !== "INACTIVE") {
      throw new MambuTsError(`${label}: transactionChannelState must be ACTIVE or INACTIVE, got ${JSON.stringify(o.transactionChannelState)}`);
    }
    return wholeList(this, CHANNELS, label, o, { transactionChannelState: o.transactionChannelState, detailsLevel: o.detailsLevel });
  }

  /** One channel by id or encodedKey (`GET /organization/transactionChannels/{id}`); unknown rejects with MambuError (404 INVALID_TRANSACTION_CHANNEL_ID). */
  static override get<T extends MambuEntity>(this: EntityClass<T>, idOrEncodedKey: string | number, opts: { connector?: MambuConnector; detailsLevel?: "BASIC" | "FULL" } = {}): Chain<T> {
    const label = "MambuTransactionChannel.get";
    // detailsLevel: accepted as every entity's get takes it (the channel is always answered whole)
    checkOptionKeys(label, opts, ["connector", "detailsLevel"]);
    return getWhole(this, CHANNELS, label, idOrEncodedKey, opts.connector);
  }

  /** The channel's fields checked as Mambu would, before any request; absent constraints become UNCONSTRAINED. */
  private channelBody(label: string): Bag {
    const wire = this.wireForWrite();
    if (typeof wire.id !== "string" || wire.id.trim() === "") throw new MambuTsError(`${label}: id is required`);
    if (/\s/.test(wire.id)) throw new MambuTsError(`${label}: id ${JSON.stringify(wire.id)} has spaces (Mambu refuses it: TRANSACTION_CHANNEL_ID_CONTAINS_SPACES)`);
    if (typeof wire.name !== "string" || wire.name.trim() === "") throw new MambuTsError(`${label}: name is required`);
    if (typeof wire.glAccount !== "string" || wire.glAccount.trim() === "") throw new MambuTsError(`${label}: glAccount (the GL account code of the channel) is required`);
    for (const f of ["loanConstraints", "depositConstraints"]) {
      if (wire[f] === undefined) wire[f] = UNCONSTRAINED();
      const c = wire[f] as { usage?: unknown; constraints?: unknown } | null;
      const n = c && Array.isArray(c.constraints) ? c.constraints.length : 0;
      if (c && c.usage === "LIMITED" && n === 0) throw new MambuTsError(`${label}: ${f} with LIMITED usage need constraints`);
      if (c && c.usage === "UNCONSTRAINED" && n > 0) throw new MambuTsError(`${label}: ${f} with UNCONSTRAINED usage take no constraints`);
    }
    delete wire.isDefault; // read-only
    return wire;
  }

  /**
   * Creates the channel (`POST /organization/transactionChannels`) and takes Mambu's answer as its state.
   * `loanConstraints` and `depositConstraints` not given are sent as UNCONSTRAINED.
   * @throws MambuTsError before any request without an `id` (or with spaces in it), a `name` or a `glAccount`, or with
   *   constraints that contradict their usage.
   */
  override async create(opts: WriteOptions & { connector?: MambuConnector } = {}): Promise<this> {
    const label = "MambuTransactionChannel.create";
    checkOptionKeys(label, opts, ["idempotencyKey", "connector"]);
    if (opts.connector) this.setConnector(opts.connector);
    const body = this.channelBody(label);
    const answer = await callOperation("organization_transactionChannels", "create", { body, connector: connectorOf(this), idempotencyKey: opts.idempotencyKey });
    this.adopt(expectRecord(answer, "a transaction channel", label), { detailsLevel: "FULL" });
    return this;
  }

  /**
   * Replaces the channel in Mambu (`PUT /organization/transactionChannels/{id}`, by the id it was read with: a new
   * `id` renames it). Mambu answers without a body: the channel's state becomes what was sent.
   * @throws MambuTsError before any request as {@link create} does.
   */
  override async update(opts: WriteOptions = {}): Promise<this> {
    const label = "MambuTransactionChannel.update";
    checkOptionKeys(label, opts, ["idempotencyKey"]);
    const body = this.channelBody(label);
    const path = { transactionChannelId: this.readId(label) };
    const answer = await callOperation("organization_transactionChannels", "update", { path, body, connector: connectorOf(this), idempotencyKey: opts.idempotencyKey });
    const read = this[RAW];
    this.adopt(answer === undefined ? { ...body, encodedKey: read.encodedKey, isDefault: read.isDefault } : expectRecord(answer, "a transaction channel", label));
    return this;
  }

  /** Mambu's API has no PATCH of a transaction channel. @throws MambuTsError */
  override async patch(): Promise<PatchOperation[]> {
    throw new MambuTsError("MambuTransactionChannel cannot be patched through the API v2: change its fields and update() it");
  }

  /** Deletes the channel (`DELETE /organization/transactionChannels/{id}`). */
  override async delete(): Promise<void> {
    await callOperation("organization_transactionChannels", "delete", { path: { transactionChannelId: this.readId("MambuTransactionChannel.delete") }, connector: connectorOf(this) });
  }

  /** The id the channel was read (or created) with, else its encodedKey. */
  private readId(label: string): string {
    const read = this[RAW];
    const id = read.id ?? read.encodedKey;
    if (typeof id !== "string" || id === "") throw new MambuTsError(`${label}: the transaction channel has no id yet (create() it first)`);
    return id;
  }
}
export interface MambuTransactionChannel extends TransactionChannel {}
