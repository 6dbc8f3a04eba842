/**
 * `mambu types`: reads the tenant's custom field sets and their definitions (detailsLevel FULL) and
 * writes a `.d.ts` that types them on the entities (`client.Age`, `client._OtherDetails`,
 * `group.industry` as the union of its values); see tenant-types.ts for the text.
 */
import { writeFileSync } from "node:fs";
import * as api from "../index";
import { CUSTOM_FIELD_INTERFACES } from "../entities/custom-fields";
import { fieldSpecsOf, StructClass } from "../core/struct";
import type { EntityClass } from "../core/entity";
import type { Command } from "./commands";
import { EXIT, UsageError } from "./exit";
import { AugmentTarget, FieldDefinition, renderTenantTypes, SetDefinition } from "./tenant-types";

/**
 * Properties entities get from relations and listings (declared in their types, set when fetched):
 * a custom field of one of these names is left in its set.
 */
const TRANSIENT = [
  "groups", "groupMembers", "schedule", "transactions", "productType", "originalAccount", "assignedBranch", "assignedCentre",
  "assignedUser", "accountHolder", "role", "taskLink", "loan", "deposit", "client", "comments", "attachments", "linkedEntities",
];

/** Every name an entity class already has: its schema fields, methods (whole prototype chain) and relation properties. */
function takenNames(cls: EntityClass): Set<string> {
  const taken = new Set<string>([...Object.keys(fieldSpecsOf(cls as unknown as StructClass)), ...TRANSIENT]);
  for (let p: object | null = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const k of Object.getOwnPropertyNames(p)) taken.add(k);
  }
  return taken;
}

/** availableFor → the interfaces to augment, each with the names its entity already has. */
function augmentTargets(): Record<string, AugmentTarget[]> {
  const exported = api as unknown as Record<string, unknown>;
  const out: Record<string, AugmentTarget[]> = {};
  for (const [availableFor, names] of Object.entries(CUSTOM_FIELD_INTERFACES)) {
    out[availableFor] = names.map((name) => ({ name, taken: takenNames(exported[name.replace(/CustomFields$/, "")] as EntityClass) }));
  }
  return out;
}

function text(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The values of a SELECTION definition (`selectionOptions[].availableOptions[].value`). */
function selectionValues(def: Record<string, unknown>): string[] {
  const options = Array.isArray(def.selectionOptions) ? (def.selectionOptions as Array<{ availableOptions?: unknown }>) : [];
  return options.flatMap((o) => (Array.isArray(o.availableOptions) ? (o.availableOptions as Array<{ value?: unknown }>) : []))
    .map((o) => o.value)
    .filter((v): v is string => typeof v === "string");
}

/** `mambu types`. */
export const typesCommand: Command = {
  name: "types",
  globals: ["sandbox", "debug", "help"],
  synopsis: "",
  summary: "Write a .d.ts that types the tenant's custom fields on the entities (client.Age, group.industry, ...).",
  description:
    "Reads every custom field set and its definitions (detailsLevel FULL). NUMBER → Decimal, DATE → DateTime, CHECKBOX →\n" +
    "boolean, SELECTION → the union of its values, link fields also get their getter. Keep the file in your project:\n" +
    "a misspelt custom field then fails to compile. Run it again when the tenant's custom fields change.",
  options: [{ name: "out", kind: "value", arg: "file.d.ts", help: "write the declarations to this file (default: stdout)" }],
  examples: ["mambu types --out mambu-tenant.d.ts", "mambu --sandbox types"],
  async run(ctx) {
    if (ctx.args.positionals.length) throw new UsageError(`mambu types takes no arguments (got ${ctx.args.positionals.join(" ")})`, "types");
    const out = ctx.args.options.out;
    if (out !== undefined && (typeof out !== "string" || out === "")) throw new UsageError("--out needs a file name", "types");
    const { connector } = await ctx.session();
    const sets: SetDefinition[] = [];
    for await (const set of api.MambuCustomFieldSet.getAll({ detailsLevel: "FULL", connector })) {
      const wire = set.toJSON();
      const fields: FieldDefinition[] = [];
      for await (const field of set.getCustomFields({ detailsLevel: "FULL" })) {
        const def = field.toJSON();
        const display = (def.displaySettings ?? {}) as Record<string, unknown>;
        fields.push({
          id: String(def.id), type: String(def.type), name: text(display.displayName), description: text(display.description),
          ...(def.type === "SELECTION" ? { options: selectionValues(def) } : {}),
        });
      }
      const display = (wire.displaySettings ?? {}) as Record<string, unknown>;
      sets.push({
        id: String(wire.id), availableFor: String(wire.availableFor), fieldSetType: String(wire.fieldSetType ?? "STANDARD"),
        name: text(display.displayName), description: text(wire.description), fields,
      });
    }
    const dts = renderTenantTypes(sets, augmentTargets());
    if (out === undefined) ctx.out.stdout.write(dts);
    else {
      writeFileSync(out, dts);
      ctx.out.stderr.write(`mambu: wrote the types of ${sets.length} custom field set(s) to ${out}\n`);
    }
    return EXIT.OK;
  },
};
