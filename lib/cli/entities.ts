/**
 * Entity names on the command line (`client`, `loans`, `branches`, `center`, ...) → the entity
 * classes that mambu-ts exports. The table is built at run time from what `lib/index.ts` exports,
 * so a new entity class appears here without an edit.
 */
import * as api from "../index";
import { MambuEntity } from "../core/entity";
import type { EntityClass } from "../core/entity";
import { UsageError } from "./exit";

/** One entity the command line knows. */
export interface CliEntity {
  /** The class, e.g. `MambuClient`. */
  cls: EntityClass;
  /** The main name, e.g. `client`. */
  name: string;
  /** Every name accepted (lower case), main name first: `client`, `clients`, `mambuclient`. */
  names: string[];
}

/** Extra names that plural rules cannot derive. */
const EXTRA_NAMES: Record<string, string[]> = {
  centre: ["center", "centers"],
  creditarrangement: ["lineofcredit", "linesofcredit"],
  product: ["loanproduct", "loanproducts"],
  role: ["userrole", "userroles"],
};

/** English plural of a lower-case name (`branch` → `branches`, `activity` → `activities`). */
export function plural(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** English singular of a lower-case plural (`branches` → `branch`, `centres` → `centre`). */
export function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Whether a value is an entity class (a subclass of MambuEntity with an API prefix). */
export function isEntityClass(v: unknown): v is EntityClass {
  return typeof v === "function" && v !== MambuEntity && (v as { prototype?: unknown }).prototype instanceof MambuEntity && !!(v as unknown as { spec?: { prefix?: string } }).spec?.prefix;
}

/** Every entity class exported by mambu-ts (from `lib/index.ts`, read at run time), by name. */
export function entityClasses(exportsObject: Record<string, unknown> = api as unknown as Record<string, unknown>): Map<string, EntityClass> {
  const out = new Map<string, EntityClass>();
  const seen = new Set<unknown>();
  for (const [k, v] of Object.entries(exportsObject)) {
    if (isEntityClass(v) && !seen.has(v)) {
      seen.add(v);
      out.set(k, v);
    }
  }
  return out;
}

/** Builds the command-line names of the exported entity classes; class-derived names win over prefix-derived ones. */
export function buildRegistry(exportsObject?: Record<string, unknown>): CliEntity[] {
  const classes = [...entityClasses(exportsObject).values()];
  const taken = new Map<string, CliEntity>();
  const entries: CliEntity[] = [];
  const add = (e: CliEntity, name: string): void => {
    const n = name.toLowerCase();
    if (!n || taken.has(n)) return;
    taken.set(n, e);
    e.names.push(n);
  };
  for (const cls of classes) {
    const base = cls.name.replace(/^Mambu/, "").toLowerCase();
    const e: CliEntity = { cls, name: base, names: [] };
    entries.push(e);
    add(e, base);
    add(e, plural(base));
  }
  for (const e of entries) {
    for (const extra of EXTRA_NAMES[e.name] ?? []) add(e, extra);
    const prefix = e.cls.spec.prefix.toLowerCase();
    if (!prefix.includes("/")) {
      add(e, prefix);
      add(e, singular(prefix));
    }
    add(e, e.cls.name);
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

let registry: CliEntity[] | undefined;

/** The registry of the entities mambu-ts exports (built once). */
export function entities(): CliEntity[] {
  return (registry ??= buildRegistry());
}

/** How an entity is written in help and errors: `branch(es)`, `client(s)`, `centre(s)/center(s)`. */
export function displayName(e: CliEntity): string {
  const p = plural(e.name);
  const main = p === `${e.name}s` ? `${e.name}(s)` : p === `${e.name}es` ? `${e.name}(es)` : `${e.name}/${p}`;
  const extras = (EXTRA_NAMES[e.name] ?? []).filter((n) => e.names.includes(n));
  const extraShown: string[] = [];
  for (const x of extras) {
    if (extras.includes(plural(x)) && x !== plural(x)) extraShown.push(`${x}(${plural(x).slice(x.length)})`);
    else if (!extras.some((y) => y !== x && plural(y) === x)) extraShown.push(x);
  }
  return [main, ...extraShown].join("/");
}

/**
 * The entity a command-line name designates (case-insensitive).
 * @throws UsageError listing the known names when there is none.
 */
export function findEntity(name: string | undefined, command?: string, list: CliEntity[] = entities()): CliEntity {
  if (name === undefined || name === "") {
    throw new UsageError(`which entity? Known: ${list.map(displayName).join(", ")}`, command);
  }
  const n = name.toLowerCase();
  const found = list.find((e) => e.names.includes(n));
  if (!found) throw new UsageError(`unknown entity "${name}". Known: ${list.map(displayName).join(", ")}`, command);
  return found;
}
