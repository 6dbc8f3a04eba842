/** Small shared pieces of the configuration documents: ordering by id and the `AddressDetails` of a record. */
import type { SandboxContext } from "../router";
import type { WireRecord } from "../types";

/** `AddressDetails` of configuration documents. */
export interface AddressConfig {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postcode?: string;
  country?: string;
}

const ADDRESS_FIELDS = ["line1", "line2", "city", "region", "postcode", "country"] as const;

/** Records ordered by id (Mambu's YAML lists branches, centres and roles by id). */
export function sortById<T extends { id?: unknown }>(records: T[]): T[] {
  return [...records].sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
}

/** The document's `address` of a record: its first address, configuration fields only (undefined when none). */
export function addressOf(rec: WireRecord): AddressConfig | undefined {
  const first = (rec.addresses as Array<Record<string, unknown>> | undefined)?.[0];
  if (!first) return undefined;
  const out: AddressConfig = {};
  for (const k of ADDRESS_FIELDS) if (typeof first[k] === "string" && first[k] !== "") out[k] = first[k] as string;
  return Object.keys(out).length ? out : undefined;
}

/** The record's `addresses` for a document's `address` (the first address's key kept; none when absent). */
export function addressesFrom(ctx: SandboxContext, address: AddressConfig | undefined, parentKey: string, old: WireRecord | undefined): Array<Record<string, unknown>> {
  if (!address) return [];
  const prev = (old?.addresses as Array<Record<string, unknown>> | undefined)?.[0];
  const out: Record<string, unknown> = { encodedKey: prev?.encodedKey ?? ctx.store.newEncodedKey(), parentKey, indexInList: 0 };
  for (const k of ADDRESS_FIELDS) if (address[k] !== undefined) out[k] = address[k];
  return [out];
}
