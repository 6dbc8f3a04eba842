/**
 * `configuration/organization.yaml`: the organization's details (`Organization`: institutionName, contact
 * details, address, decimal separator, date formats) over the same settings as `GET/PUT /setup/organization`
 * (`store.extra.organization`, through ../reference/organization.ts: `localDateFormat`/`localDateTimeFormat`
 * are its `dateFormat`/`dateTimeFormat`), and `configuration/organization/template.yaml` (an example document).
 * Currency and time zone are not part of the document and stay as they are.
 */
import { invalidParameters } from "../errors";
import { organizationState, type OrganizationState } from "../reference/organization";
import type { SandboxContext } from "../router";
import { addressOf, type AddressConfig } from "./shapes";

interface OrganizationConfig {
  institutionName: string;
  decimalSeparator: "COMMA" | "POINT";
  localDateFormat: string;
  localDateTimeFormat: string;
  emailAddress?: string;
  phoneNumber?: string;
  address?: AddressConfig;
}

/** The `Organization` document of the tenant. */
export function organizationDocument(ctx: SandboxContext): OrganizationConfig {
  const o = organizationState(ctx);
  const out: OrganizationConfig = {
    institutionName: o.institutionName,
    decimalSeparator: o.decimalSeparator,
    localDateFormat: o.dateFormat,
    localDateTimeFormat: o.dateTimeFormat,
  };
  if (o.emailAddress) out.emailAddress = o.emailAddress;
  if (o.phoneNumber) out.phoneNumber = o.phoneNumber;
  const address = o.address ? addressOf({ encodedKey: "", addresses: [o.address] }) : undefined;
  if (address) out.address = address;
  return out;
}

/** The example document of `organization/template.yaml`. */
export function organizationTemplate(): OrganizationConfig {
  return {
    institutionName: "Institution name",
    decimalSeparator: "POINT",
    localDateFormat: "dd-MM-yyyy",
    localDateTimeFormat: "dd-MM-yyyy HH:mm:ss",
    emailAddress: "contact@example.com",
    phoneNumber: "+1 555 0100",
    address: { line1: "1 Main Street", city: "City", postcode: "00000", country: "Country" },
  };
}

/** Applies a validated `Organization` document (what it leaves out of the optional fields is gone). */
export function applyOrganization(ctx: SandboxContext, doc: OrganizationConfig): void {
  if (doc.institutionName.trim() === "") throw invalidParameters("institutionName: must not be blank");
  const letters = (f: string, ok: RegExp): boolean => [...f].filter((c) => /[A-Za-z]/.test(c)).every((c) => ok.test(c));
  if (!letters(doc.localDateFormat, /[dMy]/) || !["d", "M", "y"].every((c) => doc.localDateFormat.includes(c))) {
    throw invalidParameters(`localDateFormat: ${JSON.stringify(doc.localDateFormat)} (a pattern of d, M and y, e.g. dd-MM-yyyy)`);
  }
  if (!letters(doc.localDateTimeFormat, /[dMyHhmsa]/) || !["d", "M", "y", "m"].every((c) => doc.localDateTimeFormat.includes(c))) {
    throw invalidParameters(`localDateTimeFormat: ${JSON.stringify(doc.localDateTimeFormat)} (e.g. dd-MM-yyyy HH:mm:ss)`);
  }
  const org = organizationState(ctx);
  const next: OrganizationState = {
    ...org,
    institutionName: doc.institutionName,
    decimalSeparator: doc.decimalSeparator,
    dateFormat: doc.localDateFormat,
    dateTimeFormat: doc.localDateTimeFormat,
    lastModifiedDate: ctx.clock.nowIso(),
  };
  for (const k of ["emailAddress", "phoneNumber"] as const) {
    if (doc[k] !== undefined) next[k] = doc[k];
    else delete next[k];
  }
  if (doc.address) next.address = { ...doc.address };
  else delete next.address;
  ctx.store.extra.organization = next;
}
