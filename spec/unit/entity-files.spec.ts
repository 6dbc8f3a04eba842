/**
 * Each entity file works when it is the only one imported: entity.ts does not import the modules
 * that add documents, comments, link fields and reassignment to every entity (they import it), so
 * each entity file brings them in; and the classes reassignment looks up (branch, centre, user) are
 * registered by whichever entity file needs them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ENTITIES = join(__dirname, "../../lib/entities");
const METHODS = ["attachDocument", "getAttachmentsMetadata", "downloadAttachment", "deleteAttachment", "getComments", "comment", "reassign", "getLinkedEntity"];

/** The entity files that declare a class extending MambuEntity. */
const files = readdirSync(ENTITIES).filter((f) => f.endsWith(".ts") && /extends MambuEntity\b/.test(readFileSync(join(ENTITIES, f), "utf8")));

type Loaded = Record<string, unknown>;

/** Loads modules in a fresh module registry (as a program importing only that file would). */
function isolated<T>(load: () => T): T {
  let out: T | undefined;
  jest.isolateModules(() => {
    out = load();
  });
  return out as T;
}

test("the entity files are found", () => {
  expect(files).toEqual(expect.arrayContaining(["branch.ts", "client.ts", "loan.ts", "user.ts", "deposit.ts"]));
  expect(files.length).toBeGreaterThanOrEqual(15);
});

test.each(files)("importing only entities/%s gives its entities every shared method", (file) => {
  const { mod, base } = isolated(() => ({
    mod: require(join(ENTITIES, file)) as Loaded,
    base: (require("../../lib/core/entity") as { MambuEntity: { prototype: object } }).MambuEntity,
  }));
  const classes = Object.values(mod).filter((v): v is { name: string; prototype: object } => typeof v === "function" && v.prototype instanceof (base as never as Function));
  expect(classes.length).toBeGreaterThan(0);
  for (const cls of classes) {
    const proto = cls.prototype as Record<string, unknown>;
    expect([cls.name, METHODS.filter((m) => typeof proto[m] !== "function")]).toEqual([cls.name, []]);
    // installed as class methods are: not enumerable (never fields, never sent to Mambu)
    expect(Object.keys(base.prototype)).toEqual([]);
  }
});

test.each(["client.ts", "group.ts", "loan.ts", "deposit.ts"])("importing only entities/%s registers the classes reassign() resolves", (file) => {
  const { registry, mod } = isolated(() => ({
    mod: require(join(ENTITIES, file)) as Loaded,
    registry: require("../../lib/core/registry") as { entityClass(role: string): { name: string } },
  }));
  expect(Object.keys(mod).length).toBeGreaterThan(0);
  expect(["branch", "centre", "user"].map((r) => registry.entityClass(r).name)).toEqual(["MambuBranch", "MambuCentre", "MambuUser"]);
});

test("user.ts alone registers the branch a user is reassigned to", () => {
  const registry = isolated(() => {
    require(join(ENTITIES, "user.ts"));
    return require("../../lib/core/registry") as { entityClass(role: string): { name: string } };
  });
  expect(registry.entityClass("branch").name).toBe("MambuBranch");
  expect(registry.entityClass("user").name).toBe("MambuUser");
});

test("a role nobody registered is a clear error", () => {
  const registry = isolated(() => require("../../lib/core/registry") as { entityClass(role: string): unknown });
  expect(() => registry.entityClass("branch")).toThrow('no entity class is registered for "branch": import mambu-ts (or lib/entities/branch)');
});
