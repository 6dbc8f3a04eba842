/**
 * Personal data in a migration (GDPR): which source columns hold it, and how it is kept out of every
 * output but the failures files. A column is personal when a mapping rule reading it targets a
 * personal field — names, birth date, gender, e-mail, phones, addresses, identity documents, free-text
 * notes (see {@link PERSONAL_TARGETS}) — or says `personal: true` (custom fields: the toolkit cannot
 * know what they hold), or when the plan lists it under `personal` (columns the mapping does not
 * read, which still go to the failures files). `personal: false` on a rule unmarks a default.
 *
 * Messages (problems, failure reasons, the journal, the report) name files, lines, columns and ids,
 * never a personal value: problems about a personal cell do not quote it, and a failure reason built
 * from Mambu's answer drops an `errorSource` that is not a plain field name or that repeats a value
 * of the client's rows. The failures files hold the rows to correct, so they hold personal data:
 * created readable by their owner only, next to a note saying so — and with `redact`, personal
 * columns masked as {@link REDACTED} (a masked cell fed back is refused by validation).
 */
import { MambuError } from "../errors";
import type { SourceRow } from "./sources";

/** The value a masked cell is written with (`--redact`); validation refuses it in a source. */
export const REDACTED = "[redacted]";

/** What a message says instead of a personal value. */
export const WITHHELD = "a value withheld (personal data)";

/**
 * Target fields that are personal by default, by mapping block (the field's first segment: every
 * `addresses[0].city` is personal through `addresses`). `notes` (free text) is personal everywhere.
 */
export const PERSONAL_TARGETS: Readonly<Record<string, readonly string[]>> = {
  "mapping.clients": ["firstName", "lastName", "middleName", "birthDate", "gender", "emailAddress", "mobilePhone", "mobilePhone2", "homePhone", "addresses", "idDocuments", "portalSettings", "notes"],
  "mapping.groups": ["emailAddress", "mobilePhone", "homePhone", "addresses", "notes"],
  "mapping.loans.account": ["assets", "guarantors", "notes"],
  "mapping.loans.settlement": ["notes", "openingNotes"],
  "mapping.deposits": ["notes", "openingNotes"],
  "mapping.depositTransactions": ["notes"],
  "mapping.loanTransactions": ["notes"],
  "mapping.documents": ["file", "name", "notes"],
};

/** Whether a target field of a mapping block is personal unless the rule says otherwise. */
export function isPersonalTarget(block: string, firstSegment: string): boolean {
  if (firstSegment === "notes") return true;
  return (PERSONAL_TARGETS[block] ?? []).includes(firstSegment);
}

/** Personal columns by logical source (`clients` → first_name, birth_date, ...). */
export type PersonalColumns = ReadonlyMap<string, ReadonlySet<string>>;

/** Whether `column` of a row of `source` is personal (also a nested JSON key under a personal one). */
export function isPersonalColumn(personal: PersonalColumns | undefined, source: string, column: string): boolean {
  const set = personal?.get(source);
  if (!set || set.size === 0) return false;
  if (set.has(column)) return true;
  for (const c of set) if (column.startsWith(`${c}.`)) return true;
  return false;
}

/** The personal values of some rows (non-empty, distinct, longest first). */
export function personalValues(rows: readonly SourceRow[], personal: PersonalColumns | undefined): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    for (const [col, v] of Object.entries(r.values)) {
      const t = v.trim();
      if (t !== "" && isPersonalColumn(personal, r.source, col)) out.add(t);
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * `text` without any of `values` (each replaced where it stands alone, not inside a longer word or
 * number, case-insensitively): what a message built from someone else's words (Mambu's, a library's)
 * keeps once the personal values it may echo are taken out.
 */
export function scrub(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) {
    if (v.length < 2) continue;
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(v)}(?![\\p{L}\\p{N}])`, "giu"), "(withheld)");
  }
  return out;
}

/**
 * A problem message about a personal cell, without its value: the quoted value becomes
 * {@link WITHHELD}, a suggested rewrite of it is dropped, and whatever still repeats it is scrubbed.
 */
export function withholdValue(message: string, value: string): string {
  let out = message.split(JSON.stringify(value)).join(WITHHELD).split(`"${value}"`).join(WITHHELD);
  out = out.replace(/ \((write|did you mean) [^)]*\)/g, "");
  return value.length >= 2 && out.includes(value) ? out.split(value).join("(withheld)") : out;
}

/** An `errorSource` Mambu sent that may be shown: a plain field name (`firstName`, `addresses[0].city`), repeating no value of the rows. */
function safeSource(source: string, values: readonly string[]): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_.[\]-]{0,80}$/.test(source)) return false;
  const lower = source.toLowerCase();
  return !values.some((v) => v.length >= 2 && lower.includes(v.toLowerCase()));
}

/**
 * The message of an error met while migrating a client, fit for the journal, the report and the
 * console: Mambu's code, status and reason stay; its `errorSource` stays only when it is a plain
 * field name that repeats none of the client's values (`rowValues`: every cell of its rows); and the
 * client's personal values (`personal`) are scrubbed from whatever remains.
 */
export function safeErrorMessage(e: unknown, rowValues: readonly string[], personal: readonly string[]): string {
  let text = e instanceof Error ? e.message : String(e);
  if (e instanceof MambuError) {
    for (const entry of e.errors) {
      const src = entry.errorSource;
      if (typeof src === "string" && src !== "" && !safeSource(src, rowValues)) text = text.split(` (${src})`).join(" (error source withheld: it repeats submitted data)").split(src).join("(withheld)");
    }
  }
  return scrub(text, personal);
}
