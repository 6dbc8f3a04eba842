/**
 * Imports flow one way: cli → migrate → entities → core → transport → config → errors; the public
 * barrels (lib/index.ts, lib/repl.ts) sit above the layers they export; the sandbox imports none of
 * the ORM (only the contract: lib/contract and lib/generated). Every `import ... from`, `export ... from`, `require(...)`
 * and `import(...)` of lib/ is checked, type-only imports included (they shape the layering too).
 * Inside a layer, lib/core has no import cycle at all (type-only imports included: a type cycle
 * is a design cycle even when the compiler erases it); cycles are allowed only inside one layer,
 * e.g. entity classes that name each other (a loan and its transactions).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const LIB = resolve(__dirname, "../../lib");

/** Rank of each layer: a file may import its own layer or any lower rank. */
const RANK: Record<string, number> = {
  errors: 0,
  generated: 0,
  contract: 0,
  config: 1,
  transport: 2,
  core: 3,
  entities: 4,
  index: 5,
  migrate: 6,
  sandbox: 6,
  cli: 7,
  repl: 8,
};

/**
 * The SQL read models (lib/db, `mambu-ts/db`) stand beside the ORM: they import the configuration, errors,
 * the contract and transport (Secret), and of lib/core only the money module (the library's Decimal); only
 * cli, migrate and repl import them.
 */
const DB_MAY_IMPORT = new Set(["db", "errors", "generated", "contract", "config", "transport"]);
const DB_MAY_IMPORT_FILES = new Set(["core/money.ts"]);
const DB_IMPORTED_BY = new Set(["cli", "migrate", "repl"]);

/** What the sandbox may import besides itself: it is not a client of the ORM. */
const SANDBOX_MAY_IMPORT = new Set(["sandbox", "generated", "contract"]);

/**
 * Imports that break the rule today, each with the change that removes it. The test fails when one
 * of them disappears, so that this list only shrinks.
 */
const KNOWN: Array<[from: string, to: string, why: string]> = [
];

function layerOf(file: string): string {
  const rel = relative(LIB, file);
  const top = rel.split("/")[0]!;
  return top.replace(/\.ts$/, "");
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith(".ts")) out.push(p);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined; // a package
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* next */
    }
  }
  throw new Error(`${relative(LIB, from)} imports ${spec}, which does not resolve`);
}

const IMPORT_RE = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

function edges(): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  for (const file of tsFiles(LIB)) {
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const m of text.matchAll(IMPORT_RE)) {
      const target = resolveImport(file, m[1]!);
      if (target) out.push({ from: relative(LIB, file), to: relative(LIB, target) });
    }
  }
  return out;
}

function violates(from: string, to: string): boolean {
  const lf = layerOf(join(LIB, from));
  const lt = layerOf(join(LIB, to));
  if (lf === lt) return false;
  if (lf === "sandbox") return !SANDBOX_MAY_IMPORT.has(lt);
  if (lt === "sandbox") return lf !== "cli" && lf !== "repl";
  if (lf === "db") return !DB_MAY_IMPORT.has(lt) && !DB_MAY_IMPORT_FILES.has(to);
  if (lt === "db") return !DB_IMPORTED_BY.has(lf);
  const rf = RANK[lf];
  const rt = RANK[lt];
  if (rf === undefined || rt === undefined) throw new Error(`no layer for ${from} → ${to}`);
  return rt > rf;
}

/** The strongly connected components of more than one file (the import cycles), each sorted (Tarjan). */
function cycles(graph: Array<{ from: string; to: string }>): string[][] {
  const next = new Map<string, string[]>();
  for (const e of graph) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.has(e.to)) next.set(e.to, []);
    next.get(e.from)!.push(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("the import graph of lib/", () => {
  const all = edges();

  test("finds the imports it checks (the scanner works)", () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all).toContainEqual({ from: "transport/connector.ts", to: "errors.ts" });
    expect(all).toContainEqual({ from: "entities/loan.ts", to: "core/entity.ts" });
  });

  test("no file imports a layer above its own (besides the listed ones being removed)", () => {
    const bad = all.filter((e) => violates(e.from, e.to)).map((e) => `${e.from} → ${e.to}`);
    const known = KNOWN.map(([f, t]) => `${f} → ${t}`);
    expect(bad.filter((b) => !known.includes(b))).toEqual([]);
    // A known exception that is gone must leave the list, so that it only shrinks.
    expect(known.filter((k) => !bad.includes(k))).toEqual([]);
  });

  test("the cycle finder finds cycles (a → b → c → a and d ↔ e; f alone)", () => {
    const found = cycles([
      { from: "a", to: "b" }, { from: "b", to: "c" }, { from: "c", to: "a" }, { from: "d", to: "e" }, { from: "e", to: "d" },
      { from: "c", to: "f" },
    ]);
    expect(found.sort()).toEqual([["a", "b", "c"], ["d", "e"]]);
  });

  test("no import cycle among lib/core files, type-only imports included", () => {
    // The machinery is layered inside too: what builds on MambuEntity (documents, comments, link
    // fields, reassignment) installs itself on it; entity classes are looked up by registration.
    expect(cycles(all.filter((e) => e.from.startsWith("core/") && e.to.startsWith("core/")))).toEqual([]);
  });

  test("lib/core imports nothing of lib/entities (entity files register what core needs)", () => {
    expect(all.filter((e) => e.from.startsWith("core/") && e.to.startsWith("entities/"))).toEqual([]);
  });

  test("an import cycle never spans two layers (entity classes that name each other may import each other)", () => {
    const spanning = cycles(all).filter((c) => new Set(c.map((f) => layerOf(join(LIB, f)))).size > 1);
    expect(spanning).toEqual([]);
  });

  test("errors are the bottom: lib/transport and lib/config import nothing of lib/core", () => {
    const up = all.filter((e) => /^(transport|config)\//.test(e.from) && /^(core|entities|migrate|cli|sandbox)\//.test(e.to));
    expect(up).toEqual([]);
    expect(all.filter((e) => e.from === "errors.ts")).toEqual([]);
  });

  test("the sandbox imports none of the ORM", () => {
    const orm = all.filter((e) => e.from.startsWith("sandbox/") && !/^(sandbox|generated|contract)\//.test(e.to));
    expect(orm).toEqual([]);
  });
});
