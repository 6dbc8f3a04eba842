/**
 * The text of the `.d.ts` that `mambu types` writes: a module augmentation of mambu-ts that declares
 * a tenant's custom field sets and fields on the entities they are available for (see
 * lib/entities/custom-fields.ts), typed by their definitions. Pure: definitions in, text out (the
 * same definitions always give the same text, so the file can be committed and diffed).
 */

/** A custom field definition as the renderer needs it. */
export interface FieldDefinition {
  id: string;
  /** FREE_TEXT, SELECTION, NUMBER, CHECKBOX, DATE, CLIENT_LINK, GROUP_LINK, USER_LINK, ... */
  type: string;
  name?: string;
  description?: string;
  /** The values of a SELECTION field. */
  options?: string[];
}

/** A custom field set as the renderer needs it. */
export interface SetDefinition {
  /** `_OtherDetails`. */
  id: string;
  availableFor: string;
  /** STANDARD (one object) or GROUPED (rows). */
  fieldSetType: string;
  name?: string;
  description?: string;
  fields: FieldDefinition[];
}

/** One interface to augment and the member names it must not declare (native fields, methods). */
export interface AugmentTarget {
  /** `MambuClientCustomFields`. */
  name: string;
  /** Names the entity already has: its fields, methods and relation properties. */
  taken: ReadonlySet<string>;
}

/** The entity type a link field resolves to. */
const LINK_TARGETS: Readonly<Record<string, string>> = { CLIENT_LINK: "MambuClient", GROUP_LINK: "MambuGroup", USER_LINK: "MambuUser" };
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as TypeScript takes it (`Age`, `"my field"`). */
function prop(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

/** Text for a doc comment (never closes it early, one line). */
function doc(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\s+/g, " ").trim();
}

interface FieldTypes {
  read: string;
  write: string;
}

/** How mambu-ts types a value of this custom field type once its definition is registered. */
function typesOf(f: FieldDefinition, used: Set<string>): FieldTypes {
  switch (f.type) {
    case "NUMBER":
      used.add("Decimal");
      return { read: "Decimal", write: "Decimal | number | string" };
    case "DATE":
      used.add("DateTime");
      return { read: "DateTime", write: "DateTime | string" };
    case "CHECKBOX":
      return { read: "boolean", write: 'boolean | "TRUE" | "FALSE"' };
    case "SELECTION": {
      const values = [...new Set(f.options ?? [])];
      const union = values.length ? values.map((v) => JSON.stringify(v)).join(" | ") : "string";
      return { read: union, write: union };
    }
    default:
      return { read: "string", write: "string" };
  }
}

function rowType(fields: FieldDefinition[], used: Set<string>, side: keyof FieldTypes): string {
  if (!fields.length) return "Record<string, never>";
  return `{ ${fields.map((f) => `${prop(f.id)}?: ${typesOf(f, used)[side]}`).join("; ")} }`;
}

function accessor(lines: string[], name: string, comment: string, read: string, write: string): void {
  lines.push(`    /** ${doc(comment)} */`);
  lines.push(`    get ${prop(name)}(): ${read} | undefined;`);
  lines.push(`    set ${prop(name)}(value: ${write} | undefined);`);
}

function label(x: { id: string; name?: string; description?: string }): string {
  const name = x.name && x.name !== x.id ? ` "${x.name}"` : "";
  return `${x.id}${name}${x.description ? `: ${x.description}` : ""}`;
}

/** The members one set adds to one interface (names already taken are left to the set itself). */
function setMembers(set: SetDefinition, target: AugmentTarget, declared: Set<string>, used: Set<string>, skipped: string[]): string[] {
  const lines: string[] = [];
  const free = (name: string): boolean => {
    if (target.taken.has(name) || declared.has(name)) {
      skipped.push(`${target.name}: ${name} (in ${set.id})`);
      return false;
    }
    declared.add(name);
    return true;
  };
  const grouped = set.fieldSetType === "GROUPED";
  const read = rowType(set.fields, used, "read");
  const write = rowType(set.fields, used, "write");
  const kind = grouped ? "GROUPED: one row per entry" : "STANDARD";
  if (free(set.id)) accessor(lines, set.id, `Set ${label(set)} (${kind}).`, grouped ? `Array<${read}>` : read, grouped ? `Array<${write}>` : write);
  if (grouped && free(set.id.slice(1))) accessor(lines, set.id.slice(1), `The rows of ${set.id}.`, `Array<${read}>`, `Array<${write}>`);
  for (const f of set.fields) {
    const t = typesOf(f, used);
    const what = `${label(f)} (${f.type}, in ${set.id})`;
    if (grouped) {
      const pattern = `${f.id}_\${number}`;
      if (free(pattern)) {
        lines.push(`    /** ${doc(`${what}, of row N: ${f.id}_0, ${f.id}_1, ... (written as a ${t.read}).`)} */`);
        lines.push(`    [row: \`${pattern.replace(/[`\\]/g, "\\$&")}\`]: ${t.read} | undefined;`);
      }
    } else if (free(f.id)) {
      accessor(lines, f.id, `${what}.`, t.read, t.write);
    }
    const target2 = LINK_TARGETS[f.type];
    const getter = `get${f.id}`;
    if (target2 && IDENT.test(f.id) && free(getter)) {
      used.add("Chain").add(target2);
      lines.push(`    /** ${doc(`The ${target2} that ${f.id} links to${grouped ? " (give the row)" : ""}.`)} */`);
      lines.push(`    ${getter}(${grouped ? "row: number" : "row?: number"}): Chain<${target2}>;`);
    }
  }
  return lines;
}

/**
 * The `.d.ts` text for a tenant's custom field sets. `targets` maps an `availableFor` value to the
 * interfaces it augments; sets for other targets are listed in a comment, untyped.
 */
export function renderTenantTypes(sets: readonly SetDefinition[], targets: Readonly<Record<string, readonly AugmentTarget[]>>): string {
  const used = new Set<string>();
  const skipped: string[] = [];
  const untargeted: string[] = [];
  const byInterface = new Map<string, { target: AugmentTarget; declared: Set<string>; lines: string[] }>();
  const ordered = [...sets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const set of ordered) {
    const ts = targets[set.availableFor];
    if (!ts || !ts.length) {
      untargeted.push(`${set.id} (${set.availableFor})`);
      continue;
    }
    for (const target of ts) {
      let entry = byInterface.get(target.name);
      if (!entry) byInterface.set(target.name, (entry = { target, declared: new Set(), lines: [] }));
      const fields = [...set.fields].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      entry.lines.push(...setMembers({ ...set, fields }, target, entry.declared, used, skipped));
    }
  }
  const out = [
    "// The custom fields of a Mambu tenant, for mambu-ts: written by `mambu types` from the tenant's custom field",
    "// sets and definitions. Do not edit: run `mambu types --out <this file>` again when they change.",
    "// Keep it in your project (tsconfig \"include\"): then `client.Age` is typed, and a misspelt field does not compile.",
    "// Values are typed as mambu-ts types them once the definitions are registered (`await loadCustomFieldDefinitions()`):",
    "// NUMBER → Decimal, DATE → DateTime, CHECKBOX → boolean, SELECTION → its values, others → string; before that they",
    "// are the strings Mambu sent. Names not declared here: entity.customField(\"name\").",
  ];
  const imports = [...used].sort();
  out.push("", imports.length ? `import type { ${imports.join(", ")} } from "mambu-ts";` : `import type {} from "mambu-ts";`, "", `declare module "mambu-ts" {`);
  const names = [...byInterface.keys()].sort();
  names.forEach((name, i) => {
    if (i > 0) out.push("");
    out.push(`  interface ${name} {`, ...byInterface.get(name)!.lines, "  }");
  });
  out.push("}");
  if (skipped.length) out.push("", "// Not flattened (the name is the entity's own: reach them through their set):", ...skipped.sort().map((s) => `//   ${s}`));
  if (untargeted.length) out.push("", "// Sets on records mambu-ts has no entity for (not typed):", ...untargeted.map((s) => `//   ${s}`));
  return `${out.join("\n")}\n`;
}
