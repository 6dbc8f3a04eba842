/**
 * Docs that run: every ```ts block of README.md is a test against the embedded sandbox (demo tenant),
 * so that the README and the library cannot drift apart.
 *
 * - Each block must compile as a user's strict TypeScript file (a block without imports gets every
 *   export of mambu-ts, as in the REPL).
 * - Each block then runs: compiled with transpileModule to CommonJS, as one async function (top-level
 *   await works), `import ... from "mambu-ts"` (also "mambu-ts/sandbox", "mambu-ts/migrate", "mambu-ts/db") loading
 *   lib/. It gets a fresh sandbox whose clock stands still at SANDBOX_NOW (printed dates are stable),
 *   `mambuconfig` pointed at it as the demo user, its own temporary working directory and home
 *   directory; all of that is undone after it.
 *
 * What the examples' comments say is checked (README "Development" says the same):
 * - `stmt; // → shown` (or `// → shown` alone on the line after a one-line statement): for
 *   `console.log(...)` what it prints; for an expression or `const x = ...` the value as Node's REPL
 *   shows it (util.inspect). Whitespace runs count as one space, `...` stands for anything, the text
 *   stops at " — " (prose may follow) and continues on the comment lines below whose `//` is in the
 *   same column.
 * - `stmt; // throws Class: message` (synchronously) and `await stmt; // rejects Class: message`: the
 *   error's class (optional) and message (`...` as above).
 * - A ```text block right after a ```ts block (blank lines between) is everything the block prints.
 * - A check that is never reached fails. Other comments are prose.
 * - HTML comments right above a block: `<!-- doctest: setup CODE -->` (hidden code run first, in the
 *   block's scope: `doctest.sandbox`, `doctest.tmp` the working directory, `doctest.home` what
 *   os.homedir() returns, `doctest.examplePlan(n)`), `<!-- doctest: after CODE -->`,
 *   `<!-- doctest: replace "text" with EXPR -->` (a string literal replaced when it runs, e.g. a real
 *   tenant's host by `doctest.sandbox.url`), `<!-- doctest: skip (why) -->` (at most 3) and
 *   `<!-- doctest: known-failure "error text" (library bug) -->` (the block must fail with that text;
 *   when the bug is fixed, drop the directive).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as lib from "../../lib";
import { clearCustomFieldDefinitions, clearCustomFieldTypes, mambuconfig, MambuConnector } from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { capturingConsole, Checker, compile, DocBlock, DocCheck, instrument, parseReadme, textMatches, typeCheck, writeExamplePlan } from "./readme-doctest";

const README = join(__dirname, "..", "..", "README.md");
/** The demo tenant's "now" during the doc-tests (the clock stands still: printed dates are stable). */
const SANDBOX_NOW = "2026-11-22T04:53:07";

const blocks = parseReadme(README);

/** The modules an example may import. */
function docRequire(name: string): unknown {
  if (name === "mambu-ts") return lib;
  if (name === "mambu-ts/sandbox") return require("../../lib/sandbox");
  if (name === "mambu-ts/migrate") return require("../../lib/migrate");
  if (name === "mambu-ts/db") return require("../../lib/db");
  return require(name);
}

interface Run {
  output: string[];
  checker: Checker;
  checks: DocCheck[];
}

/** Compiles a block: its imports first (setup code may use what they import), then setup, block, after. */
function compileBlock(block: DocBlock): { js: string; checks: DocCheck[] } {
  const { code, checks } = instrument(block);
  const lines = code.split("\n");
  const isImport = (l: string): boolean => /^import\s.*\sfrom\s+"[^"]+";?\s*$/.test(l);
  const source = [...lines.filter(isImport), ...block.setup, ...lines.map((l) => (isImport(l) ? "" : l)), ...block.after].join("\n");
  return { js: compile(source, `README.md:${block.line}.ts`), checks };
}

/** Runs one block against a fresh sandbox; rejects with the README line of what failed. */
async function runBlock(block: DocBlock): Promise<Run> {
  const { js, checks } = compileBlock(block);
  const output: string[] = [];
  const checker = new Checker(checks, output);
  const cwd = process.cwd();
  const env = { ...process.env };
  const write = process.stdout.write;
  const tmp = mkdtempSync(join(tmpdir(), "mambu-doctest-"));
  const home = join(tmp, "home", "me");
  mkdirSync(home, { recursive: true });
  const homedir = jest.spyOn(require("os") as typeof import("os"), "homedir").mockReturnValue(home); // ~/.mambupy.rc is doctest.home's
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await startSandbox({ port: 0, clock: { start: SANDBOX_NOW } });
    const scope: Record<string, unknown> = {
      ...lib,
      require: docRequire,
      exports: {},
      console: capturingConsole(output),
      __doc: checker,
      doctest: { sandbox, tmp, home, examplePlan: (clients: number) => writeExamplePlan(tmp, clients) },
    };
    mambuconfig.reset();
    mambuconfig.apiurl = sandbox.url;
    mambuconfig.apiuser = "demo";
    mambuconfig.apipwd = "demo";
    process.env.HOME = home;
    process.chdir(tmp);
    // What a block writes to stdout itself (e.g. runMigration's summary) is part of what it prints.
    process.stdout.write = ((chunk: string | Uint8Array) => {
      output.push(String(chunk).replace(/\n$/, ""));
      return true;
    }) as typeof process.stdout.write;
    const names = Object.keys(scope);
    const fn = new Function(...names, `return (async () => {\n${js}\n})();`) as (...a: unknown[]) => Promise<void>;
    await fn(...names.map((n) => scope[n]));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    err.message = `README.md:${block.line} (${block.section}): ${err.message}\n--- printed:\n${output.join("\n")}`;
    throw err;
  } finally {
    process.stdout.write = write;
    homedir.mockRestore();
    process.chdir(cwd);
    for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
    Object.assign(process.env, env);
    mambuconfig.reset();
    clearCustomFieldDefinitions();
    clearCustomFieldTypes();
    MambuConnector.default().close();
    await sandbox?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return { output, checker, checks };
}

const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  // Hermetic: no MAMBU_* variables of the machine running the tests.
  for (const k of Object.keys(process.env)) if (/^MAMBU(PY)?_/.test(k)) saved[k] = process.env[k];
  for (const k of Object.keys(saved)) delete process.env[k];
});
afterAll(() => Object.assign(process.env, saved));

test("every ```ts block of README.md is found, and at most 3 are skipped", () => {
  const fences = readFileSync(README, "utf8").split("\n").filter((l) => /^\s*```ts\s*$/.test(l));
  expect(blocks.length).toBe(fences.length);
  expect(blocks.length).toBeGreaterThan(20);
  const skipped = blocks.filter((b) => b.skip).map((b) => `README.md:${b.line}: ${b.skip}`);
  expect(skipped.length > 3 ? skipped : []).toEqual([]);
});

test("every example compiles as a user's strict TypeScript", () => {
  const exported = Object.keys(lib).filter((k) => k !== "default");
  expect(typeCheck(blocks, join(__dirname, "..", ".."), exported)).toEqual([]);
});

describe.each(blocks.map((b) => [`README.md:${b.line} (${b.section})`, b] as const))("%s", (_name, block) => {
  if (block.skip) {
    test.skip(`skipped: ${block.skip}`, () => undefined);
    return;
  }
  if (block.knownFailure) {
    const kf = block.knownFailure;
    test(`known failure (${kf.why}): fails with "${kf.text}"`, async () => {
      const outcome = await runBlock(block).then(
        () => "it ran: the bug is fixed, drop the known-failure directive",
        (e: Error) => e.message,
      );
      expect(outcome).toContain(kf.text);
    });
    return;
  }
  test("runs, and prints and returns what its comments say", async () => {
    const { output, checker, checks } = await runBlock(block);
    const unreached = checks.filter((_, i) => !checker.ran.has(i)).map((c) => `README.md:${c.line}: // ${c.kind} ${c.text}`);
    if (unreached.length) throw new Error(`checks the block never reached:\n${unreached.join("\n")}`);
    if (block.output && !textMatches(output.join("\n"), block.output.text)) {
      throw new Error(`README.md:${block.output.line}: what the block printed is not this text block\n--- text block:\n${block.output.text}\n--- printed:\n${output.join("\n")}`);
    }
  });
});
