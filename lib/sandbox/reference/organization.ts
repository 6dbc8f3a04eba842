/**
 * The organization's setup: `GET /setup/organization` (what ETL clients read first: the tenant's name, base
 * currency and time zone), `PUT /setup/organization` (name, contact details, address and the date and number
 * formats; `currency` and `timeZoneID` "must be the same as the existing one") and `GET /setup/general`.
 *
 * The settings live in `store.extra.organization` (a seed may give them; a tenant without them — `data: "empty"`
 * — gets defaults the first time they are read). `timeZoneID` is never stored as truth: it is derived from the
 * clock's offset at each answer (see time-zone.ts), so a sandbox started with another offset answers a zone with
 * that offset; a seed's `timeZoneID` is kept when it has the clock's offset all year.
 */
import { parseOffset } from "../clock";
import { validateBody } from "../contract";
import { invalidParameters, mambuError } from "../errors";
import type { Router, SandboxContext } from "../router";
import { ownValue } from "../safe-keys";
import { timeZoneForOffset } from "./time-zone";

/** The organization settings as the sandbox keeps them (`store.extra.organization`). */
export interface OrganizationState {
  institutionName: string;
  currency: string;
  decimalSeparator: "COMMA" | "POINT";
  dateFormat: string;
  dateTimeFormat: string;
  /** A preferred zone (kept when it has the clock's offset all year). */
  timeZoneID?: string;
  emailAddress?: string;
  phoneNumber?: string;
  address?: Record<string, unknown>;
  creationDate?: string;
  lastModifiedDate?: string;
}

/** Longest institution name accepted (Mambu's limit is not documented; a guess). */
export const MAX_INSTITUTION_NAME = 255;

/** The base currency when the tenant names none: the `currencies` record marked `baseCurrency`, else MXN. */
function defaultCurrency(ctx: SandboxContext): string {
  const base = ctx.store.all("currencies").find((c) => c.baseCurrency === true && typeof c.code === "string");
  return base ? String(base.code) : "MXN";
}

/** The organization's settings, made (with defaults) and kept the first time a tenant without them is asked. */
export function organizationState(ctx: SandboxContext): OrganizationState {
  const stored = ownValue(ctx.store.extra, "organization");
  const org: Partial<OrganizationState> = stored && typeof stored === "object" && !Array.isArray(stored) ? (stored as Partial<OrganizationState>) : {};
  let changed = org !== stored;
  const fill = <K extends keyof OrganizationState>(k: K, v: () => OrganizationState[K]): void => {
    if (typeof org[k] !== "string" || org[k] === "") {
      org[k] = v();
      changed = true;
    }
  };
  fill("institutionName", () => "mambu-ts sandbox");
  fill("currency", () => defaultCurrency(ctx));
  fill("decimalSeparator", () => "POINT");
  fill("dateFormat", () => "dd-MM-yyyy");
  fill("dateTimeFormat", () => "dd-MM-yyyy HH:mm:ss");
  fill("creationDate", () => {
    // as old as the oldest branch (the organization came first), else now
    const dates = ctx.store.all("branches").map((b) => b.creationDate).filter((d): d is string => typeof d === "string").sort();
    return dates[0] ?? ctx.clock.nowIso();
  });
  fill("lastModifiedDate", () => org.creationDate as string);
  if (changed) ctx.store.extra.organization = org;
  return org as OrganizationState;
}

/** The tenant's time zone ID, consistent with the clock's offset (see time-zone.ts). */
export function tenantTimeZone(ctx: SandboxContext): string {
  const year = Number(ctx.clock.today().slice(0, 4));
  return timeZoneForOffset(parseOffset(ctx.clock.offset), year, organizationState(ctx).timeZoneID);
}

/** `OrganizationSetup` in wire shape. */
function organizationWire(ctx: SandboxContext): Record<string, unknown> {
  const o = organizationState(ctx);
  const out: Record<string, unknown> = {
    institutionName: o.institutionName,
    currency: o.currency,
    timeZoneID: tenantTimeZone(ctx),
    decimalSeparator: o.decimalSeparator,
    dateFormat: o.dateFormat,
    dateTimeFormat: o.dateTimeFormat,
    creationDate: o.creationDate,
    lastModifiedDate: o.lastModifiedDate,
  };
  if (o.emailAddress !== undefined) out.emailAddress = o.emailAddress;
  if (o.phoneNumber !== undefined) out.phoneNumber = o.phoneNumber;
  if (o.address !== undefined) out.address = { ...o.address };
  return out;
}

const DATE_LETTERS = /^[dMy]$/;
const DATE_TIME_LETTERS = /^[dMyHhmsa]$/;

/** Mambu's refusals of an organization setup, in the order its validation names them. */
function checkSetup(body: Record<string, unknown>): void {
  const name = body.institutionName;
  if (typeof name !== "string" || name.trim() === "") throw mambuError("BLANK_INSTITUTION_NAME", "institutionName");
  if (name.length > MAX_INSTITUTION_NAME) throw mambuError("INSTITUTION_NAME_LENGTH", `institutionName: at most ${MAX_INSTITUTION_NAME} characters`);
  const sep = body.decimalSeparator;
  if (sep === undefined || sep === null || sep === "") throw mambuError("BLANK_DECIMAL_SEPARATOR", "decimalSeparator");
  if (sep !== "COMMA" && sep !== "POINT") throw mambuError("INVALID_DECIMAL_SEPARATOR", "decimalSeparator: COMMA or POINT");
  const df = body.dateFormat;
  const letters = (f: string): string[] => [...f].filter((c) => /[A-Za-z]/.test(c));
  if (typeof df !== "string" || df.trim() === "" || letters(df).some((c) => !DATE_LETTERS.test(c)) || !["d", "M", "y"].every((c) => df.includes(c))) {
    throw mambuError("INVALID_DATE_FORMAT", `dateFormat: ${JSON.stringify(df)} (a pattern of d, M and y, e.g. dd-MM-yyyy)`);
  }
  const dtf = body.dateTimeFormat;
  if (typeof dtf !== "string" || dtf.trim() === "") throw mambuError("BLANK_DATE_TIME", "dateTimeFormat");
  const bad = letters(dtf).find((c) => !DATE_TIME_LETTERS.test(c));
  if (bad) throw mambuError("HAS_INVALID_DATE_TIME_CHARACTER", `dateTimeFormat: "${bad}" is not a date-time pattern letter`);
  const missing = ["d", "M", "y", "m"].find((c) => !dtf.includes(c)) ?? (dtf.includes("H") || dtf.includes("h") ? undefined : "H");
  if (missing) throw mambuError("MISSING_REQUIRED_DATE_TIME_CHARACTER", `dateTimeFormat: no "${missing}"`);
}

/** Registers `GET`/`PUT /setup/organization` and `GET /setup/general`. */
export function registerOrganizationRoutes(router: Router): void {
  router.add("GET", "/setup/organization", (ctx) => ({ status: 200, body: organizationWire(ctx) }));

  router.add("PUT", "/setup/organization", (ctx, req) => {
    const body = req.body;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object (OrganizationSetup)");
    const b = body as Record<string, unknown>;
    checkSetup(b);
    validateBody("setup_organization", "OrganizationSetup", b, ctx.clock.offset);
    const org = organizationState(ctx);
    if (b.currency !== undefined && b.currency !== org.currency) {
      throw invalidParameters(`currency: must be the same as the existing one (${org.currency})`);
    }
    const zone = tenantTimeZone(ctx);
    if (b.timeZoneID !== undefined && b.timeZoneID !== zone) throw invalidParameters(`timeZoneID: must be the same as the existing one (${zone})`);
    const next: OrganizationState = {
      ...org,
      institutionName: b.institutionName as string,
      decimalSeparator: b.decimalSeparator as OrganizationState["decimalSeparator"],
      dateFormat: b.dateFormat as string,
      dateTimeFormat: b.dateTimeFormat as string,
      lastModifiedDate: ctx.clock.nowIso(),
    };
    // PUT replaces: the optional fields not sent are gone
    for (const k of ["emailAddress", "phoneNumber"] as const) {
      if (typeof b[k] === "string") next[k] = b[k] as string;
      else delete next[k];
    }
    if (b.address && typeof b.address === "object" && !Array.isArray(b.address)) {
      const { encodedKey: _k, parentKey: _p, ...address } = b.address as Record<string, unknown>;
      next.address = address;
    } else {
      delete next.address;
    }
    ctx.store.extra.organization = next;
    return { status: 200, body: organizationWire(ctx) };
  });

  router.add("GET", "/setup/general", (ctx) => ({ status: 200, body: generalSetupWire(ctx) }));
}

/** `GeneralSetup` in wire shape: the sandbox's fixed rules (the seed may override them in `extra.generalSetup`). */
function generalSetupWire(ctx: SandboxContext): Record<string, unknown> {
  const org = organizationState(ctx);
  const defaultChannel = ctx.store.all("transactionchannels").find((c) => c.isDefault === true);
  const out: Record<string, unknown> = {
    encodedKey: "8a19a0e25d1f4c1c015d1f5c2a6b0001",
    clientIdFormat: "@@@@###",
    groupIdFormat: "@@@@###",
    lineOfCreditIdFormat: "@@@@###",
    tillIdFormat: "@@@@###",
    assignmentConstraints: [],
    maxAllowedIdDocumentAttachments: 5,
    maxAllowedJournalEntryDocumentAttachments: 5,
    otherIdDocumentsEnabled: true,
    decimalSeparator: org.decimalSeparator,
    dateFormats: { DATE_FORMAT: org.dateFormat, DATE_TIME_FORMAT: org.dateTimeFormat },
    groupSizeLimitType: "NONE",
    eodProcessingMethod: "AUTOMATIC",
    defaultClientState: "INACTIVE",
    defaultLineOfCreditState: "PENDING_APPROVAL",
    approvalDisbursalTwoManRuleEnabled: false,
    maxAllowedUndoClosurePeriod: 30,
    exposureType: "UNLIMITED",
    arrearsDaysBeforeWriteOff: 0,
    automatedAccountingClosuresInterval: 0,
    duplicateClientChecks: [],
    duplicateClientConstraintAction: "NONE",
    enabledComponents: ["LOANS", "DEPOSITS", "BRANCHES", "CENTRES", "CLIENTS", "GROUPS", "ACCOUNTING", "CREDIT_OFFICERS"],
    dashboardConfigurations: [],
    multipleGroupMemberships: "UNLIMITED",
    multipleLoans: "UNLIMITED",
  };
  if (defaultChannel) out.defaultTransactionChannelKey = defaultChannel.encodedKey;
  const extra = ownValue(ctx.store.extra, "generalSetup");
  if (extra && typeof extra === "object" && !Array.isArray(extra)) {
    for (const [k, v] of Object.entries(extra)) if (k !== "__proto__") out[k] = v;
  }
  return out;
}
