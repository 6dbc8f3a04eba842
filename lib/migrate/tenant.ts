/**
 * What a migration needs to know about the tenant before writing: branches, centres, users, loan and
 * deposit products (with their fees and limits) and custom field sets, so that references given by id
 * in the source can be checked and turned into encodedKeys. Read through the entities (`getAll`, a
 * custom field set's `getCustomFields`), 1000 records a page with the migration's connector.
 */
import { MambuBranch, MambuCentre, MambuCustomFieldSet, MambuDepositProduct, MambuProduct, MambuUser } from "../index";
import type { MambuEntity } from "../index";
import type { MambuConnector } from "../transport";

type Rec = Record<string, unknown>;

/** A loan product as far as validation cares. */
export interface LoanProductRef {
  id: string;
  encodedKey: string;
  currency?: string;
  minAmount?: string;
  maxAmount?: string;
  minInstallments?: number;
  maxInstallments?: number;
  allowArbitraryFees: boolean;
  /** Predefined fees by id and by encodedKey → encodedKey. */
  fees: Map<string, string>;
  /** Flat amounts of predefined fees, by encodedKey (as text). */
  feeAmounts: Map<string, string>;
}

/** A custom field definition. */
export interface CustomFieldRef {
  id: string;
  type: string;
  options?: string[];
}

/** A custom field set definition. */
export interface CustomFieldSetRef {
  id: string;
  availableFor: string;
  grouped: boolean;
  fields: Map<string, CustomFieldRef>;
}

/** The tenant's reference data, by id. */
export interface ReferenceData {
  branches: Map<string, string>;
  /** Centre id → encodedKey and the branch it belongs to. */
  centres: Map<string, { encodedKey: string; branchKey?: string }>;
  /** User id and username → encodedKey. */
  users: Map<string, string>;
  loanProducts: Map<string, LoanProductRef>;
  depositProducts: Map<string, { id: string; encodedKey: string }>;
  /** Custom field sets by entity type (CLIENT, GROUP, LOAN_ACCOUNT, DEPOSIT_ACCOUNT), then by set id. */
  customFieldSets: Map<string, Map<string, CustomFieldSetRef>>;
  /**
   * The UTC offset the tenant writes its date-times in, read from them (Mambu answers in the
   * organisation's time zone); a guess for zones with daylight saving time.
   */
  offset?: string;
}

/** The offset of the first date-time with one among the records' `creationDate`/`lastModifiedDate`. */
export function offsetOf(records: readonly Rec[]): string | undefined {
  for (const r of records) {
    for (const f of ["creationDate", "lastModifiedDate"]) {
      const m = typeof r[f] === "string" ? /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-]\d{2}:\d{2}|Z)$/.exec(r[f] as string) : null;
      if (m) return m[1] === "Z" ? "+00:00" : m[1];
    }
  }
  return undefined;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const path = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((x, k) => (x && typeof x === "object" ? (x as Rec)[k] : undefined), o);

function loanProduct(p: Rec): LoanProductRef {
  const fees = new Map<string, string>();
  const feeAmounts = new Map<string, string>();
  const list = path(p, "feesSettings", "fees");
  if (Array.isArray(list)) {
    for (const f of list as Rec[]) {
      const key = str(f.encodedKey) ?? str(f.id);
      if (!key) continue;
      if (f.id !== undefined) fees.set(String(f.id), key);
      fees.set(key, key);
      const amount = str(f.amount);
      if (amount !== undefined && (f.amountCalculationMethod === undefined || f.amountCalculationMethod === "FLAT")) feeAmounts.set(key, amount);
    }
  }
  const inst = path(p, "scheduleSettings", "numInstallments") as Rec | undefined;
  return {
    id: String(p.id),
    encodedKey: String(p.encodedKey),
    currency: str(path(p, "currency", "code")),
    minAmount: str(path(p, "loanAmountSettings", "loanAmount", "minValue")),
    maxAmount: str(path(p, "loanAmountSettings", "loanAmount", "maxValue")),
    minInstallments: typeof inst?.minValue === "number" ? inst.minValue : undefined,
    maxInstallments: typeof inst?.maxValue === "number" ? inst.maxValue : undefined,
    allowArbitraryFees: path(p, "feesSettings", "allowArbitraryFees") !== false,
    fees,
    feeAmounts,
  };
}

/** Loads the reference data the plan's mapping may refer to (about ten requests). */
export async function loadReferenceData(conn: MambuConnector, entityTypes: readonly string[] = ["CLIENT", "GROUP", "LOAN_ACCOUNT", "DEPOSIT_ACCOUNT"]): Promise<ReferenceData> {
  const connector = conn;
  const wire = (list: readonly MambuEntity[]): Rec[] => list.map((e) => e.toJSON());
  const [branches, centres, users, loanProducts, depositProducts] = await Promise.all([
    MambuBranch.getAll({ connector }).then(wire),
    MambuCentre.getAll({ connector }).then(wire),
    MambuUser.getAll({ connector }).then(wire),
    MambuProduct.getAll({ connector }).then(wire),
    MambuDepositProduct.getAll({ connector }).then(wire),
  ]);
  const ref: ReferenceData = {
    branches: new Map(branches.map((b) => [String(b.id), String(b.encodedKey)])),
    centres: new Map(centres.map((c) => [String(c.id), { encodedKey: String(c.encodedKey), branchKey: str(c.assignedBranchKey) }])),
    users: new Map(),
    loanProducts: new Map(loanProducts.map((p) => [String(p.id), loanProduct(p)])),
    depositProducts: new Map(depositProducts.map((p) => [String(p.id), { id: String(p.id), encodedKey: String(p.encodedKey) }])),
    customFieldSets: new Map(),
    offset: offsetOf([...branches, ...centres, ...loanProducts, ...depositProducts]),
  };
  for (const u of users) {
    if (u.id !== undefined) ref.users.set(String(u.id), String(u.encodedKey));
    if (u.username !== undefined) ref.users.set(String(u.username), String(u.encodedKey));
  }
  for (const type of entityTypes) {
    // availableFor is checked against the API's list by getAll (entityTypes is plain text here)
    const sets = await MambuCustomFieldSet.getAll({ availableFor: type as never, detailsLevel: "FULL", connector });
    const byId = new Map<string, CustomFieldSetRef>();
    for (const set of sets) {
      const s = set.toJSON();
      const fields = wire(await set.getCustomFields({ detailsLevel: "FULL" }));
      const map = new Map<string, CustomFieldRef>();
      for (const f of fields) {
        const opts = (Array.isArray(f.selectionOptions) ? (f.selectionOptions as Rec[]) : [])
          .flatMap((o) => (Array.isArray(o.availableOptions) ? (o.availableOptions as Rec[]) : []))
          .map((o) => String(o.value));
        map.set(String(f.id), { id: String(f.id), type: String(f.type ?? "FREE_TEXT"), options: opts.length ? opts : undefined });
      }
      byId.set(String(s.id), { id: String(s.id), availableFor: type, grouped: s.fieldSetType === "GROUPED", fields: map });
    }
    ref.customFieldSets.set(type, byId);
  }
  return ref;
}
