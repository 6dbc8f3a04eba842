/**
 * Type tests: the public types are as strict as the runtime, and cannot silently loosen.
 *
 * spec/types/ is compiled as a user's strict project ("mambu-ts" is lib/, with a made-up tenant's
 * custom fields in spec/types/tenant.d.ts, as `mambu types` writes them):
 * - every file of spec/types/pass/ must compile (also `npx tsc -p spec/types`);
 * - in spec/types/fail/, each line marked `// error TS<code>: <text>` must fail with that code and a
 *   message containing the text, and no unmarked line may fail.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";
import { diagnosticsOf } from "../helpers/ts-diagnostics";

const DIR = join(__dirname, "..", "types");
const MARK = /\/\/ error TS(\d+): (.+)$/;

interface Expected {
  file: string;
  line: number;
  code: number;
  text: string;
}

function filesOf(sub: string): string[] {
  return readdirSync(join(DIR, sub)).filter((f) => f.endsWith(".ts")).sort().map((f) => join(DIR, sub, f));
}

function expectationsOf(file: string): Expected[] {
  return readFileSync(file, "utf8").split("\n").flatMap((l, i) => {
    const m = MARK.exec(l);
    return m ? [{ file, line: i + 1, code: Number(m[1]), text: m[2].trim() }] : [];
  });
}

/** Every diagnostic of the files of spec/types (pass and fail files in one program; spec/helpers/ts-diagnostics.ts): file, line, code, message. */
function diagnostics(): Array<{ file: string; line: number; code: number; message: string }> {
  const configPath = join(DIR, "tsconfig.json");
  const { config, error } = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, DIR);
  const program = ts.createProgram([...parsed.fileNames, ...filesOf("fail")], parsed.options);
  return diagnosticsOf(program).map((d) => ({
    file: d.file?.fileName ?? "(options)",
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
}

const where = (d: { file: string; line: number }): string => `${relative(DIR, d.file)}:${d.line}`;

let found: ReturnType<typeof diagnostics>;
beforeAll(() => {
  found = diagnostics();
});

test("the files that must compile do (and the tenant's augmentation with them)", () => {
  const failDir = join(DIR, "fail");
  const outside = found.filter((d) => !d.file.startsWith(failDir)).map((d) => `${where(d)} TS${d.code}: ${d.message}`);
  expect(outside).toEqual([]);
  expect(filesOf("pass").length).toBeGreaterThanOrEqual(3);
});

const expected = filesOf("fail").flatMap(expectationsOf);

test("the files that must not compile mark what fails (misspelt fields, filters, limit, sortBy, operators, amounts, custom fields)", () => {
  expect(expected.length).toBeGreaterThanOrEqual(30);
});

test.each(expected.map((e) => [`${relative(DIR, e.file)}:${e.line} TS${e.code}`, e] as const))("%s fails as marked", (_name, e) => {
  const here = found.filter((d) => d.file === e.file && d.line === e.line);
  expect(here.map((d) => d.code)).toContain(e.code);
  expect(here.filter((d) => d.code === e.code).some((d) => d.message.includes(e.text))).toBe(true);
});

test("no unmarked line of the must-not-compile files fails", () => {
  const marked = new Set(expected.map((e) => `${e.file}:${e.line}`));
  const failDir = join(DIR, "fail");
  const stray = found.filter((d) => d.file.startsWith(failDir) && !marked.has(`${d.file}:${d.line}`)).map((d) => `${where(d)} TS${d.code}: ${d.message}`);
  expect(stray).toEqual([]);
});
