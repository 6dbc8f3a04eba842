/**
 * What `require("mambu-ts")` loads: the packages only some features need are loaded on their first use, not
 * with the library — YAML (configuration as code), fflate (backup zips), read-excel-file (the sandbox's data
 * imports), node-fetch (the migration's onboarding pack) — so a program, a REPL or a CLI command that does not
 * use them starts sooner and smaller. Checked in a plain node process on the compiled library (dist/).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { buildDist, ROOT } from "./cli-helpers";

jest.setTimeout(120_000);

/** The packages of node_modules a node process has loaded after running `code` (with `lib` the compiled library). */
function loadedAfter(code: string): string[] {
  const script = `const lib = require(${JSON.stringify(join(ROOT, "dist"))});\n${code}\nconst names = new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));\nprocess.stdout.write(JSON.stringify([...names].sort()));`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" })) as string[];
}

beforeAll(() => buildDist(), 240_000);

test("the library alone loads none of them", () => {
  const loaded = loadedAfter("");
  expect(loaded).toEqual(expect.arrayContaining(["decimal.js", "luxon"])); // the check sees what is loaded
  for (const lazy of ["yaml", "fflate", "read-excel-file", "node-fetch"]) expect(loaded).not.toContain(lazy);
});

test("YAML is loaded with the first configuration document read", () => {
  const parse = `require(${JSON.stringify(join(ROOT, "dist", "core", "yaml-config"))}).parseConfigYaml("a: 1\\n", "x.yaml");`;
  expect(loadedAfter(parse)).toContain("yaml");
});
