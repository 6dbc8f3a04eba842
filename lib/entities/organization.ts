/**
 * The organization's setup (`/api/setup/organization`) and general setup (`/api/setup/general`): what an ETL
 * client reads first — the tenant's name, base currency and time zone, its date and number formats — and the
 * tenant-wide rules (ID formats, default states, exposure limits, the default transaction channel).
 */
import { DateTime } from "luxon";
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf } from "../core/entity";
import { MambuValueObject, resetFromWire, structFromWire, toWire } from "../core/struct";
import { RAW } from "../core/symbols";
import type { GeneralSetupStruct } from "../generated/types/setup_general";
import type { OrganizationSetupStruct } from "../generated/types/setup_organization";
import { MambuError, MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";

type Bag = Record<string, unknown>;

/** Options of the organization's reads. */
export interface OrganizationReadOptions {
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
}

/** Options of `organization.update()`. */
export interface OrganizationUpdateOptions {
  /** Idempotency-Key (v4 UUID) of the request; a random one otherwise (the same on every retry). */
  idempotencyKey?: string;
}

/** The connection each organization was read through. */
const CONNECTORS = new WeakMap<object, MambuConnector>();

function asRecord(answer: unknown, label: string): Bag {
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected a JSON object`);
  return answer as Bag;
}

/** Longest institution name the ORM sends (Mambu refuses longer ones: INSTITUTION_NAME_LENGTH). */
export const MAX_INSTITUTION_NAME = 255;

/**
 * The organization's setup (Swagger `OrganizationSetup`): `institutionName`, `currency` (the base currency),
 * `timeZoneID` (also `timeZone`), `decimalSeparator` (COMMA, POINT), `dateFormat`, `dateTimeFormat`,
 * `emailAddress`, `phoneNumber`, `address`, `creationDate`/`lastModifiedDate` (DateTime). Read with
 * {@link MambuOrganization.get}, changed field by field and written back with {@link MambuOrganization.update}.
 */
export class MambuOrganization extends MambuValueObject {
  static override resource = "setup_organization";
  static override definition = "OrganizationSetup";

  /** Reads the organization's setup (`GET /setup/organization`). */
  static async get(opts: OrganizationReadOptions = {}): Promise<MambuOrganization> {
    const label = "MambuOrganization.get";
    checkOptionKeys(label, opts, ["connector"]);
    const conn = connectorOf(undefined, opts.connector);
    const answer = await callOperation("setup_organization", "getOrganizationSetup", { connector: conn });
    const org = structFromWire<MambuOrganization>(MambuOrganization, asRecord(answer, label));
    CONNECTORS.set(org, conn);
    return org;
  }

  /** The tenant's time zone ID (`timeZoneID`, e.g. `Africa/Johannesburg`, `Etc/GMT-2`). */
  get timeZone(): string | undefined {
    return this.timeZoneID;
  }

  /**
   * The current instant in the tenant's time zone (what Mambu stamps on the dates it makes now).
   * @throws MambuTsError when Mambu named no time zone, or one that luxon does not know.
   */
  now(): DateTime {
    const zone = this.timeZoneID;
    const dt = zone ? DateTime.now().setZone(zone) : undefined;
    if (!dt || !dt.isValid) throw new MambuTsError(`MambuOrganization.now: unknown time zone ${JSON.stringify(zone)}`);
    return dt;
  }

  /**
   * Writes the setup back (`PUT /setup/organization`: the settings not given are gone, as with every PUT) and
   * takes Mambu's answer as its state. `currency` and `timeZoneID` cannot change through the API.
   * @throws MambuTsError before any request for a blank or too long `institutionName`, a blank `dateFormat` or
   *   `dateTimeFormat`, a `decimalSeparator` other than COMMA/POINT, or a changed `currency` or `timeZoneID`.
   */
  async update(opts: OrganizationUpdateOptions = {}): Promise<this> {
    const label = "MambuOrganization.update";
    checkOptionKeys(label, opts, ["idempotencyKey"]);
    const wire = toWire(this);
    const name = wire.institutionName;
    if (typeof name !== "string" || name.trim() === "") throw new MambuTsError(`${label}: institutionName is required`);
    if (name.length > MAX_INSTITUTION_NAME) throw new MambuTsError(`${label}: institutionName has more than ${MAX_INSTITUTION_NAME} characters`);
    for (const f of ["dateFormat", "dateTimeFormat"]) {
      if (typeof wire[f] !== "string" || (wire[f] as string).trim() === "") throw new MambuTsError(`${label}: ${f} is required`);
    }
    if (wire.decimalSeparator !== "COMMA" && wire.decimalSeparator !== "POINT") {
      throw new MambuTsError(`${label}: decimalSeparator must be COMMA or POINT, got ${JSON.stringify(wire.decimalSeparator)}`);
    }
    const read = this[RAW];
    for (const f of ["currency", "timeZoneID"]) {
      if (wire[f] !== read[f]) throw new MambuTsError(`${label}: ${f} cannot be changed through the API (it is ${JSON.stringify(read[f])})`);
    }
    // what Mambu keeps itself is not sent
    delete wire.creationDate;
    delete wire.lastModifiedDate;
    const conn = CONNECTORS.get(this) ?? connectorOf(undefined);
    const answer = await callOperation("setup_organization", "updateOrganizationSetup", { body: wire, connector: conn, idempotencyKey: opts.idempotencyKey });
    resetFromWire(this, asRecord(answer, label));
    return this;
  }
}
export interface MambuOrganization extends OrganizationSetupStruct {}

/**
 * The general setup (Swagger `GeneralSetup`): the tenant's ID formats (`clientIdFormat`, `groupIdFormat`…),
 * default states (`defaultClientState`, `defaultLineOfCreditState`), `enabledComponents`, `exposureType` and
 * `exposureAmount` (Decimal), `multipleLoans`, `defaultTransactionChannelKey`, `dateFormats`, and more.
 * Read-only in the API.
 */
export class MambuGeneralSetup extends MambuValueObject {
  static override resource = "setup_general";
  static override definition = "GeneralSetup";
}
export interface MambuGeneralSetup extends GeneralSetupStruct {}

/** Reads the general setup (`GET /setup/general`). */
export async function getGeneralSetup(opts: OrganizationReadOptions = {}): Promise<MambuGeneralSetup> {
  const label = "getGeneralSetup";
  checkOptionKeys(label, opts, ["connector"]);
  const answer = await callOperation("setup_general", "getGeneralSetup", { connector: connectorOf(undefined, opts.connector) });
  return structFromWire<MambuGeneralSetup>(MambuGeneralSetup, asRecord(answer, label));
}
