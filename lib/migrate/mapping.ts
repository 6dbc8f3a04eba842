/**
 * From a source row to a Mambu request body: each target field of a mapping block gets its cell (or
 * constant, or default), converted by the field's type in the API contract (amounts as exact decimals,
 * integers, booleans, enums, dates, date-times in the tenant's offset), custom fields as `_Set.field`
 * (grouped sets as `_Set[0].field`, typed by the tenant's definitions), and references given by id
 * (branches, centres, users, products) turned into encodedKeys.
 */
import { RawNumber, parseJsonExact } from "../core/json";
import { definition, FieldSpec } from "../contract/schema";
import { checkAmount, checkDecimal, checkInteger } from "./numbers";
import { isPersonalTarget, REDACTED, withholdValue } from "./personal";
import type { CustomFieldRef, ReferenceData } from "./tenant";
import type { FieldMapSpec, Problem } from "./types";
import type { SourceRow } from "./sources";

/** Value types of fields that are not in the contract (loanId, members, installment fields). */
export type SpecialType = "string" | "decimal" | "amount" | "integer" | "date" | "list";

/** What a mapping block produces and which contract definition describes it. */
export interface BlockSpec {
  /** Name shown in messages, e.g. `mapping.loans.account`. */
  name: string;
  /** Swagger resource and definition of the body (none for schedule rows). */
  resource?: string;
  definition?: string;
  /** Entity type of its custom field sets (CLIENT, GROUP, LOAN_ACCOUNT, DEPOSIT_ACCOUNT). */
  customFieldsFor?: string;
  /** Fields that are not in the definition: their value types. */
  specials?: Record<string, SpecialType>;
  /** Definition fields the mapping may not set (set by the toolkit). */
  reserved?: string[];
}

/** The blocks of a plan's mapping. */
export const BLOCKS: Record<string, BlockSpec> = {
  clients: { name: "mapping.clients", resource: "clients", definition: "Client", customFieldsFor: "CLIENT" },
  groups: { name: "mapping.groups", resource: "groups", definition: "Group", customFieldsFor: "GROUP", specials: { members: "list" }, reserved: ["groupMembers"] },
  "loans.account": {
    name: "mapping.loans.account",
    resource: "loans",
    definition: "LoanAccount",
    customFieldsFor: "LOAN_ACCOUNT",
    specials: { accountHolderId: "string" },
    reserved: ["accountHolderKey", "encodedKey", "settlementAccountKey"],
  },
  "loans.approve": { name: "mapping.loans.approve", resource: "loans", definition: "LoanAccountAction", reserved: ["action"] },
  "loans.settlement": {
    name: "mapping.loans.settlement",
    resource: "deposits",
    definition: "DepositAccount",
    customFieldsFor: "DEPOSIT_ACCOUNT",
    specials: { openingBalance: "amount", openingDate: "string", openingNotes: "string" },
    reserved: ["accountHolderKey", "accountHolderType"],
  },
  "loans.disburse": { name: "mapping.loans.disburse", resource: "loans_transactions", definition: "DisbursementLoanTransactionInput" },
  schedules: {
    name: "mapping.schedules",
    specials: { loanId: "string", number: "integer", dueDate: "date", principal: "amount", interest: "amount", fee: "amount", penalty: "amount" },
  },
  fees: { name: "mapping.fees", resource: "loans_transactions", definition: "FeeLoanTransactionInput", specials: { loanId: "string" } },
  repayments: { name: "mapping.repayments", resource: "loans_transactions", definition: "RepaymentLoanTransactionInput", specials: { loanId: "string" } },
  deposits: {
    name: "mapping.deposits",
    resource: "deposits",
    definition: "DepositAccount",
    customFieldsFor: "DEPOSIT_ACCOUNT",
    specials: { accountHolderId: "string", openingBalance: "amount", openingDate: "string", openingNotes: "string" },
    reserved: ["accountHolderKey", "encodedKey"],
  },
  groupMembers: {
    name: "mapping.groupMembers",
    specials: { groupId: "string", clientId: "string", groupRoleNameKey: "string", roleName: "string" },
  },
  documents: {
    name: "mapping.documents",
    specials: { ownerType: "string", ownerId: "string", file: "string", name: "string", notes: "string" },
  },
  loanTransactions: {
    name: "mapping.loanTransactions",
    specials: { loanId: "string", type: "string", valueDate: "string", adjusts: "string", notes: "string", externalId: "string" },
  },
  depositTransactions: {
    name: "mapping.depositTransactions",
    specials: { depositId: "string", type: "string", amount: "amount", valueDate: "string", notes: "string", externalId: "string" },
  },
};

/** Contract fields holding money: at most `amountDecimals` decimals. */
const AMOUNT_FIELDS = new Set(["loanAmount", "amount", "principal", "interest", "fee", "penalty", "periodicPayment", "overdraftLimit"]);

/** Reference fields: target name → where its ids are looked up. */
const REFS: Record<string, "branches" | "centres" | "users" | "products"> = {
  assignedBranchKey: "branches",
  assignedCentreKey: "centres",
  assignedUserKey: "users",
  productTypeKey: "products",
};

/** One segment of a target path: `addresses[0]` → { key: "addresses", index: 0 }. */
interface Seg {
  key: string;
  index?: number;
}

type Kind =
  | { type: "native"; spec: FieldSpec; amount: boolean; ref?: "branches" | "centres" | "users" | "products" }
  | { type: "custom"; set: string; grouped: boolean; field?: CustomFieldRef }
  | { type: "special"; valueType: SpecialType };

/** A compiled rule of one target field. */
export interface FieldRule {
  target: string;
  segs: Seg[];
  column?: string;
  constant?: string;
  fallback?: string;
  required: boolean;
  split?: string;
  kind: Kind;
  /** Whether its column holds personal data (problems never quote its cells; see personal.ts). */
  personal: boolean;
}

/** A compiled mapping block. */
export interface CompiledBlock {
  spec: BlockSpec;
  rules: FieldRule[];
  /** Columns the block reads. */
  columns: Set<string>;
}

/** Everything a conversion needs from outside the row. */
export interface MapContext {
  refs?: ReferenceData;
  /** Tenant offset `±HH:MM` for naive dates. */
  offset?: string;
  amountDecimals: number;
}

/** A row mapped to a body. */
export interface Mapped {
  body: Record<string, unknown>;
  /** Values of special fields (loanId, accountHolderId, members, ...). */
  specials: Record<string, unknown>;
  /** CLIENT_LINK custom fields: client id, and where its encodedKey goes. */
  links: Array<{ clientId: string; set: (encodedKey: string) => void }>;
  problems: Problem[];
}

function parsePath(target: string): Seg[] | undefined {
  const segs: Seg[] = [];
  for (const part of target.split(".")) {
    const m = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\[(\d+)\])?$/.exec(part);
    if (!m) return undefined;
    segs.push({ key: m[1], index: m[2] !== undefined ? Number(m[2]) : undefined });
  }
  return segs;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** The contract spec at a path of a definition, or a reason why there is none. */
function nativeSpec(resource: string, def: string, segs: Seg[]): FieldSpec | string {
  let fields = definition(resource, def).fields;
  let spec: FieldSpec | undefined;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    spec = Object.prototype.hasOwnProperty.call(fields, s.key) ? fields[s.key] : undefined;
    if (!spec) return `"${segs.slice(0, i + 1).map((x) => x.key).join(".")}" is not a field of ${def}`;
    if (spec.type === "array") {
      if (s.index === undefined) {
        if (i === segs.length - 1) return spec;
        return `${s.key} is a list: write ${s.key}[0].${segs[i + 1].key}`;
      }
      spec = spec.items ?? { type: "any" };
    } else if (s.index !== undefined) return `${s.key} is not a list`;
    if (i < segs.length - 1) {
      if (spec.type !== "object") return `${s.key} is not an object`;
      if (spec.ref) fields = definition(resource, spec.ref).fields;
      else if (spec.fields) fields = spec.fields;
      else return { type: "any" };
    }
  }
  return spec as FieldSpec;
}

/**
 * Compiles a mapping block (with its defaults) against the contract and the tenant's custom fields.
 * Problems (unknown fields, custom fields the tenant lacks, reserved fields) are added to `problems`.
 */
export function compileBlock(block: BlockSpec, map: FieldMapSpec | undefined, defaults: Record<string, unknown> | undefined, planFile: string, refs: ReferenceData | undefined, problems: Problem[]): CompiledBlock {
  const rules: FieldRule[] = [];
  const columns = new Set<string>();
  const targets = new Set([...Object.keys(map ?? {}), ...Object.keys(defaults ?? {})]);
  const p = (target: string, message: string): void => void problems.push({ file: planFile, message: `${block.name}.${target}: ${message}` });
  for (const target of targets) {
    const ruleSpec = map?.[target];
    const segs = parsePath(target);
    if (!segs) {
      p(target, "not a field path (write field, nested.field, list[0].field or _Set.field)");
      continue;
    }
    let kind: Kind | undefined;
    const special = block.specials?.[target];
    if (special) kind = { type: "special", valueType: special };
    else if (segs[0].key.startsWith("_")) {
      if (!block.customFieldsFor) {
        p(target, "custom fields cannot be set here");
        continue;
      }
      if (segs.length !== 2 || segs[1].index !== undefined) {
        p(target, "a custom field is written _Set.field (grouped sets: _Set[0].field)");
        continue;
      }
      const sets = refs?.customFieldSets.get(block.customFieldsFor);
      const set = sets?.get(segs[0].key);
      if (sets && sets.size > 0 && !set) {
        p(target, `the tenant has no custom field set ${segs[0].key} for ${block.customFieldsFor} (has: ${[...sets.keys()].join(", ") || "none"})`);
        continue;
      }
      const field = set?.fields.get(segs[1].key);
      if (set && !field) {
        p(target, `custom field set ${set.id} has no field ${segs[1].key} (has: ${[...set.fields.keys()].join(", ")})`);
        continue;
      }
      const grouped = set ? set.grouped : segs[0].index !== undefined;
      if (grouped && segs[0].index === undefined) {
        p(target, `${segs[0].key} is a grouped set: write ${segs[0].key}[0].${segs[1].key}`);
        continue;
      }
      if (!grouped && segs[0].index !== undefined) {
        p(target, `${segs[0].key} is a standard set: write ${segs[0].key}.${segs[1].key}`);
        continue;
      }
      kind = { type: "custom", set: segs[0].key, grouped, field };
    } else if (block.resource && block.definition) {
      if (block.reserved?.includes(segs[0].key)) {
        p(target, "is set by the toolkit, not by the mapping");
        continue;
      }
      const spec = nativeSpec(block.resource, block.definition, segs);
      if (typeof spec === "string") {
        p(target, spec);
        continue;
      }
      const last = segs[segs.length - 1].key;
      kind = { type: "native", spec, amount: AMOUNT_FIELDS.has(last) && spec.type === "decimal", ref: segs.length === 1 ? REFS[last] : undefined };
    } else {
      p(target, `unknown field (known: ${Object.keys(block.specials ?? {}).join(", ")})`);
      continue;
    }
    const rule: FieldRule = { target, segs, required: false, kind, personal: kind.type !== "custom" && isPersonalTarget(block.name, segs[0].key) };
    if (typeof ruleSpec === "string") rule.column = ruleSpec;
    else if (ruleSpec && typeof ruleSpec === "object") {
      rule.column = ruleSpec.column;
      rule.constant = str(ruleSpec.value);
      rule.fallback = str(ruleSpec.default);
      rule.required = ruleSpec.required === true;
      rule.split = ruleSpec.split;
      if (typeof ruleSpec.personal === "boolean") rule.personal = ruleSpec.personal;
    }
    if (rule.fallback === undefined && defaults && target in defaults) rule.fallback = str(defaults[target]);
    if (kind.type === "special" && kind.valueType === "list") rule.split ??= ";";
    if (rule.column) columns.add(rule.column);
    rules.push(rule);
  }
  if (block.resource && block.definition) {
    // required fields of the definition that no rule provides (reserved ones are the toolkit's)
    const def = definition(block.resource, block.definition);
    const provided = new Set(rules.map((r) => r.segs[0].key));
    for (const req of def.required) {
      if (block.reserved?.includes(req) || provided.has(req)) continue;
      if (block.definition === "LoanAccount" && req === "scheduleSettings") continue;
      // a standalone deposit's holder type: the holder's kind in the plan or the tenant when unmapped
      if (block.name === "mapping.deposits" && req === "accountHolderType") continue;
      p(req, `required by ${block.definition} but not mapped`);
    }
  }
  return { spec: block, rules, columns };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NAIVE_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?$/;
const ZONED_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `s` is a real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[mo - 1];
}

/**
 * A date-time in the tenant's offset: `2025-03-01` → `2025-03-01T00:00:00+02:00`; a naive
 * `2025-03-01T10:30` takes the offset; a zoned value is kept. Returns an error text otherwise.
 */
export function toDateTime(s: string, offset: string | undefined): { value: string } | { error: string } {
  const z = ZONED_RE.exec(s);
  if (z) return isCalendarDate(z[1]) && +z[2] < 24 && +z[3] < 60 ? { value: s } : { error: `not a valid date-time: "${s}"` };
  const d = DATE_RE.exec(s) ? s : undefined;
  const n = NAIVE_RE.exec(s);
  if (!d && !n) return { error: `expected a date (YYYY-MM-DD) or date-time, got "${s}"` };
  const date = d ?? n![1];
  if (!isCalendarDate(date)) return { error: `not a calendar date: "${s}"` };
  if (n && (+n[2] > 23 || +n[3] > 59 || (n[4] !== undefined && +n[4] > 59))) return { error: `not a valid time: "${s}"` };
  if (!offset) return { error: "a date without an offset needs the tenant's offset (plan tenantOffset, --tenant-offset or MAMBU_API_TENANTOFFSET)" };
  const time = n ? `${n[2]}:${n[3]}:${n[4] ?? "00"}${n[5] ?? ""}` : "00:00:00";
  return { value: `${date}T${time}${offset === "Z" ? "+00:00" : offset}` };
}

export { checkAmount } from "./numbers";

type Conv = { value: unknown } | { error: string };

function convertNative(rule: FieldRule & { kind: { type: "native" } }, s: string, ctx: MapContext, productKind: "loan" | "deposit"): Conv {
  const spec = rule.kind.spec;
  const ref = rule.kind.ref;
  if (ref && ctx.refs) {
    const r = ctx.refs;
    switch (ref) {
      case "branches": {
        const k = r.branches.get(s);
        return k ? { value: k } : { error: `no branch with id "${s}" in the tenant` };
      }
      case "centres": {
        const c = r.centres.get(s);
        return c ? { value: c.encodedKey } : { error: `no centre with id "${s}" in the tenant` };
      }
      case "users": {
        const k = r.users.get(s);
        return k ? { value: k } : { error: `no user with id or username "${s}" in the tenant` };
      }
      case "products": {
        const k = productKind === "loan" ? r.loanProducts.get(s)?.encodedKey : r.depositProducts.get(s)?.encodedKey;
        return k ? { value: k } : { error: `no ${productKind} product with id "${s}" in the tenant` };
      }
    }
  }
  switch (spec.type) {
    case "string":
      if (spec.enum && !spec.enum.includes(s)) {
        const near = spec.enum.find((e) => e.toLowerCase() === s.toLowerCase());
        return { error: `expected one of ${spec.enum.join(", ")}, got "${s}"${near ? ` (did you mean ${near}?)` : ""}` };
      }
      return { value: s };
    case "decimal": {
      const e = rule.kind.amount ? checkAmount(s, ctx.amountDecimals) : checkDecimal(s);
      return e ? { error: e } : { value: new RawNumber(s) };
    }
    case "integer": {
      const e = checkInteger(s);
      return e ? { error: e } : { value: Number(s) };
    }
    case "boolean":
      if (/^(true|yes|1)$/i.test(s)) return { value: true };
      if (/^(false|no|0)$/i.test(s)) return { value: false };
      return { error: `expected true or false, got "${s}"` };
    case "date":
      return isCalendarDate(s) ? { value: s } : { error: `expected a date (YYYY-MM-DD), got "${s}"` };
    case "datetime": {
      const r = toDateTime(s, ctx.offset);
      return "error" in r ? r : { value: r.value };
    }
    case "object":
    case "array":
    case "any":
      try {
        return { value: parseJsonExact(s) };
      } catch {
        return spec.type === "any" ? { value: s } : { error: `expected JSON (${spec.type}), got "${s.slice(0, 40)}"` };
      }
    default:
      return { value: s };
  }
}

function convertCustom(field: CustomFieldRef | undefined, s: string): Conv | { link: string } {
  if (!field) return { value: s };
  switch (field.type) {
    case "NUMBER": {
      const e = checkDecimal(s, `custom field ${field.id} is a NUMBER`);
      return e ? { error: e } : { value: s };
    }
    case "CHECKBOX":
      if (/^(true|yes|1)$/i.test(s)) return { value: "TRUE" };
      if (/^(false|no|0)$/i.test(s)) return { value: "FALSE" };
      return { error: `custom field ${field.id} is a CHECKBOX (TRUE/FALSE), got "${s}"` };
    case "DATE":
      return isCalendarDate(s) ? { value: s } : { error: `custom field ${field.id} is a DATE (YYYY-MM-DD), got "${s}"` };
    case "SELECTION":
      return !field.options || field.options.includes(s) ? { value: s } : { error: `custom field ${field.id}: "${s}" is not one of ${field.options.join(", ")}` };
    case "CLIENT_LINK":
      return { link: s };
    default:
      return { value: s };
  }
}

function convertSpecial(t: SpecialType, s: string, rule: FieldRule, ctx: MapContext): Conv {
  switch (t) {
    case "string":
      return { value: s };
    case "list":
      if (s.startsWith("[")) {
        try {
          const v = JSON.parse(s) as unknown;
          if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return { value: v.map(String) };
        } catch {
          /* not JSON: split below */
        }
        return { error: `expected a JSON list of ids or ids separated by "${rule.split ?? ";"}", got ${s.slice(0, 40)}` };
      }
      return { value: s.split(rule.split ?? ";").map((x) => x.trim()).filter((x) => x !== "") };
    case "integer": {
      const e = checkInteger(s, true);
      return e ? { error: e } : { value: Number(s) };
    }
    case "date":
      return isCalendarDate(s) ? { value: s } : { error: `expected a date (YYYY-MM-DD), got "${s}"` };
    case "amount": {
      const e = checkAmount(s, ctx.amountDecimals);
      return e ? { error: e } : { value: new RawNumber(s) };
    }
    case "decimal": {
      const e = checkDecimal(s, "expected a number");
      return e ? { error: e } : { value: new RawNumber(s) };
    }
  }
}

function setPath(body: Record<string, unknown>, segs: Seg[], value: unknown): (v: unknown) => void {
  let cur: Record<string, unknown> = body;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const last = i === segs.length - 1;
    if (s.index !== undefined) {
      const arr = (Array.isArray(cur[s.key]) ? cur[s.key] : (cur[s.key] = [])) as unknown[];
      if (last) {
        arr[s.index] = value;
        return (v) => (arr[s.index!] = v);
      }
      cur = (arr[s.index] ??= {}) as Record<string, unknown>;
    } else if (last) {
      cur[s.key] = value;
      const holder = cur;
      return (v) => (holder[s.key] = v);
    } else {
      cur = (cur[s.key] && typeof cur[s.key] === "object" ? cur[s.key] : (cur[s.key] = {})) as Record<string, unknown>;
    }
  }
  return () => undefined;
}

/** Drops the holes that empty list entries leave (`addresses[1]` without `addresses[0]`). */
function compact(v: unknown): void {
  if (!v || typeof v !== "object" || v instanceof RawNumber) return;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (Array.isArray(x)) {
      const dense = x.filter((e) => e !== undefined && e !== null);
      (v as Record<string, unknown>)[k] = dense;
      dense.forEach(compact);
    } else compact(x);
  }
}

/**
 * Maps one row through a compiled block. Empty cells are absent (then the default applies); problems
 * carry the file, line and column of the cell.
 */
export function mapRow(block: CompiledBlock, row: SourceRow, ctx: MapContext, productKind: "loan" | "deposit" = "loan"): Mapped {
  const out: Mapped = { body: {}, specials: {}, links: [], problems: [] };
  for (const rule of block.rules) {
    let s: string | undefined;
    let fromCell = false;
    if (rule.constant !== undefined) s = rule.constant;
    else if (rule.column !== undefined) {
      const cell = row.values[rule.column];
      if (cell !== undefined && cell.trim() !== "") {
        s = cell.trim();
        fromCell = true;
      }
    }
    if (s === undefined && rule.fallback !== undefined) s = rule.fallback;
    const cell = s;
    const problem = (message: string, quotesCell = true): void =>
      void out.problems.push({
        file: row.file,
        line: row.line,
        column: fromCell || rule.column ? row.columns[rule.column ?? ""] : undefined,
        columnName: rule.column,
        message: `${rule.target}: ${quotesCell && fromCell && rule.personal && cell !== undefined ? withholdValue(message, cell) : message}`,
        row,
      });
    if (s === undefined) {
      if (rule.required) problem(rule.column && !(rule.column in row.columns) ? `column "${rule.column}" is missing from the file` : "is required but empty");
      continue;
    }
    if (fromCell && s === REDACTED) {
      problem(`the cell was masked by --redact (${REDACTED}): put back the value of the original source`, false);
      continue;
    }
    const k = rule.kind;
    if (k.type === "special") {
      const c = convertSpecial(k.valueType, s, rule, ctx);
      if ("error" in c) problem(c.error);
      else out.specials[rule.target] = c.value;
      continue;
    }
    if (k.type === "custom") {
      const c = convertCustom(k.field, s);
      if ("error" in c) {
        problem(c.error);
        continue;
      }
      const segs: Seg[] = k.grouped ? [{ key: k.set, index: rule.segs[0].index }, rule.segs[1]] : rule.segs;
      if ("link" in c) {
        const setter = setPath(out.body, segs, c.link);
        out.links.push({ clientId: c.link, set: setter });
      } else setPath(out.body, segs, c.value);
      continue;
    }
    const c = convertNative(rule as FieldRule & { kind: { type: "native" } }, s, ctx, productKind);
    if ("error" in c) problem(c.error);
    else setPath(out.body, rule.segs, c.value);
  }
  compact(out.body);
  return out;
}

/** Columns a source file must have for a block: every mapped column (a missing one is a problem). */
export function missingColumns(block: CompiledBlock, header: readonly string[] | undefined): string[] {
  if (!header) return [];
  return [...block.columns].filter((c) => !header.includes(c));
}
