/**
 * Doc-tests of README.md: extracts its ```ts blocks with their directives, type-checks them, turns
 * their result comments (`// → shown`, `// throws ...`, `// rejects ...`) into checks and compiles
 * them to CommonJS. The conventions are described at the top of readme-examples.spec.ts (which runs
 * the blocks) and in README's Development section.
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { format, inspect } from "util";
import * as ts from "typescript";
import { diagnosticsOf } from "../helpers/ts-diagnostics";

/** One ```ts block of the README. */
export interface DocBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The nearest heading above the block. */
  section: string;
  /** The block's lines (indentation of the fence removed). */
  lines: string[];
  /** Hidden code run before the block, in its scope (`<!-- doctest: setup ... -->`). */
  setup: string[];
  /** Hidden code run after the block, in its scope (`<!-- doctest: after ... -->`). */
  after: string[];
  /** Why the block is not run (`<!-- doctest: skip (why) -->`). */
  skip?: string;
  /** A library bug that makes the block fail: the text its error must contain (`<!-- doctest: known-failure "text" (why) -->`). */
  knownFailure?: { text: string; why: string };
  /** Strings of the block replaced by expressions when it runs (`<!-- doctest: replace "a" with expr -->`). */
  replace: Array<{ from: string; to: string }>;
  /** Every line the block prints must be this ```text block that follows it (blank lines in between). */
  output?: { line: number; text: string };
}

const FENCE = /^(\s*)(`{3,})(\S*)\s*$/;
const DIRECTIVE = /^<!--\s*doctest:\s*([\s\S]*?)\s*-->$/;

/** Parses the README's ```ts blocks (see {@link DocBlock}). */
export function parseReadme(path: string): DocBlock[] {
  const text = readFileSync(path, "utf8");
  const all = text.split("\n");
  const blocks: DocBlock[] = [];
  let section = "";
  let lastBlock: DocBlock | undefined;
  let lastBlockEnd = -1;
  const attached = new Set<number>();
  for (let i = 0; i < all.length; i++) {
    const heading = /^#{1,6}\s+(.*)$/.exec(all[i]);
    if (heading) section = heading[1].trim();
    const open = FENCE.exec(all[i]);
    if (!open) continue;
    const [, indent, ticks, lang] = open;
    let end = i + 1;
    while (end < all.length && !(all[end].startsWith(indent + ticks) && all[end].trim() === ticks)) end++;
    if (end >= all.length) throw new Error(`README.md:${i + 1}: unclosed code fence`);
    const body = all.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
    if (lang === "ts") {
      const block: DocBlock = { line: i + 1, section, lines: body, setup: [], after: [], replace: [] };
      const directives = directivesBefore(all, i);
      for (const d of directives) attached.add(d.line);
      applyDirectives(block, directives);
      blocks.push(block);
      lastBlock = block;
      lastBlockEnd = end;
    } else if (lang === "text" && lastBlock && all.slice(lastBlockEnd + 1, i).every((l) => l.trim() === "")) {
      lastBlock.output = { line: i + 1, text: body.join("\n") };
    }
    i = end;
  }
  all.forEach((l, i) => {
    if (/^\s*<!--\s*doctest:/.test(l) && !attached.has(i + 1)) throw new Error(`README.md:${i + 1}: a doctest directive must be right above a \`\`\`ts block`);
  });
  return blocks;
}

/** The `<!-- doctest: ... -->` comments right above line `fence` (only blank lines or other directives in between). */
function directivesBefore(lines: string[], fence: number): Array<{ line: number; text: string }> {
  const found: Array<{ line: number; text: string }> = [];
  let j = fence - 1;
  for (;;) {
    while (j >= 0 && lines[j].trim() === "") j--;
    if (j < 0 || !lines[j].trim().endsWith("-->")) break;
    let start = j;
    while (start >= 0 && !lines[start].trim().startsWith("<!--")) start--;
    if (start < 0) break;
    const comment = lines.slice(start, j + 1).map((l) => l.trim()).join("\n");
    const m = DIRECTIVE.exec(comment);
    if (!m) break;
    found.unshift({ line: start + 1, text: m[1] });
    j = start - 1;
  }
  return found;
}

function applyDirectives(block: DocBlock, directives: Array<{ line: number; text: string }>): void {
  for (const { line, text } of directives) {
    const word = /^(\S+)\s*([\s\S]*)$/.exec(text);
    const [kind, rest] = word ? [word[1], word[2]] : ["", ""];
    if (kind === "setup") block.setup.push(rest);
    else if (kind === "after") block.after.push(rest);
    else if (kind === "skip") {
      const why = /^\(([\s\S]+)\)$/.exec(rest);
      if (!why) throw new Error(`README.md:${line}: "doctest: skip" needs a reason in parentheses`);
      block.skip = why[1];
    } else if (kind === "known-failure") {
      const m = /^"((?:[^"\\]|\\.)+)"\s*\(([\s\S]+)\)$/.exec(rest);
      if (!m) throw new Error(`README.md:${line}: "doctest: known-failure" needs "error text" (why)`);
      block.knownFailure = { text: JSON.parse(`"${m[1]}"`) as string, why: m[2] };
    } else if (kind === "replace") {
      const m = /^("(?:[^"\\]|\\.)*")\s+with\s+([\s\S]+)$/.exec(rest);
      if (!m) throw new Error(`README.md:${line}: "doctest: replace" is: replace "text" with expression`);
      block.replace.push({ from: JSON.parse(m[1]) as string, to: m[2] });
    } else {
      throw new Error(`README.md:${line}: unknown doctest directive ${JSON.stringify(kind)} (setup, after, skip, known-failure, replace)`);
    }
  }
}

/** A check found in a block: its README line and what it says. */
export interface DocCheck {
  line: number;
  kind: "→" | "throws" | "rejects";
  /** The error class a throws/rejects check names. */
  cls?: string;
  text: string;
}

/** `stmt; // → shown` (the text ends at " — ", where prose may follow). */
const ARROW = /^(\s*)(\S.*?);?\s+\/\/ → (.*)$/;
/** `stmt; // throws Class: message` / `await stmt; // rejects Class: message` (class optional). */
const THROWS = /^(\s*)(\S.*?);?\s+\/\/ (throws|rejects)(?: ([A-Z][A-Za-z]*))?:? ?(.*)$/;
/** `// → shown` alone on the line after a one-line statement. */
const ARROW_BELOW = /^(\s*)\/\/ → (.*)$/;

/** The expected text of a result comment: up to " — " (prose after it is not checked). */
function expectedText(parts: string[]): string {
  const text = parts.join(" ").trim();
  const dash = text.indexOf(" — ");
  return dash >= 0 ? text.slice(0, dash).trim() : text;
}

/**
 * The block's code with its result comments turned into calls of `__doc` (see the spec's header),
 * and the checks it holds. A result comment continues on the comment-only lines below it whose `//`
 * is in the same column.
 */
export function instrument(block: DocBlock): { code: string; checks: DocCheck[] } {
  const out: string[] = [];
  const checks: DocCheck[] = [];
  const lines = block.lines.map((l) => block.replace.reduce((acc, r) => acc.split(JSON.stringify(r.from)).join(r.to), l));
  const continuation = (from: number, column: number, parts: string[]): number => {
    let i = from;
    while (i + 1 < lines.length && lines[i + 1].indexOf("//") === column && lines[i + 1].slice(0, column).trim() === "" && !ARROW_BELOW.test(lines[i + 1].slice(column))) {
      parts.push(lines[i + 1].slice(column + 2).trim());
      i++;
    }
    return i;
  };
  for (let i = 0; i < lines.length; i++) {
    const src = lines[i];
    const isComment = src.trimStart().startsWith("//");
    const arrow = isComment ? null : ARROW.exec(src);
    const thr = isComment || arrow ? null : THROWS.exec(src);
    const below = isComment || arrow || thr || !src.trimEnd().endsWith(";") ? null : ARROW_BELOW.exec(lines[i + 1] ?? "");
    if (!arrow && !thr && !below) {
      out.push(src);
      continue;
    }
    const at = i;
    let indent: string, stmt: string, kind: DocCheck["kind"], cls: string | undefined, parts: string[];
    if (below) {
      [indent, stmt, kind, cls, parts] = [/^\s*/.exec(src)![0], src.trim().replace(/;$/, ""), "→", undefined, [below[2]]];
      i = continuation(i + 1, below[1].length, parts);
    } else if (arrow) {
      [indent, stmt, kind, cls, parts] = [arrow[1], arrow[2], "→", undefined, [arrow[3]]];
      i = continuation(i, src.lastIndexOf("// →"), parts);
    } else {
      [indent, stmt, kind, cls, parts] = [thr![1], thr![2], thr![3] as DocCheck["kind"], thr![4], [thr![5] ?? ""]];
      i = continuation(i, src.lastIndexOf("// " + kind), parts);
    }
    const check: DocCheck = { line: block.line + 1 + at, kind, cls, text: expectedText(parts) };
    checks.push(check);
    const id = checks.length - 1;
    let code: string;
    if (kind === "→") {
      const log = /^console\.log\(([\s\S]*)\)$/.exec(stmt);
      const decl = /^(?:const|let)\s+([A-Za-z_$][\w$]*)(?::[^=]+)?\s*=/.exec(stmt);
      if (log) code = `__doc.log(${id}, ${log[1]});`;
      else if (decl) code = `${stmt}; __doc.shows(${id}, ${decl[1]});`;
      else code = `__doc.shows(${id}, (${stmt}));`;
    } else {
      const klass = cls ?? "undefined";
      if (kind === "throws") code = `__doc.throws(${id}, () => { ${stmt}; }, ${klass});`;
      else code = `await __doc.rejects(${id}, async () => { ${stmt}; }, ${klass});`;
    }
    out.push(indent + code);
    for (let k = at + 1; k <= i; k++) out.push(""); // keep line numbers
  }
  return { code: out.join("\n"), checks };
}

/**
 * The demo tenant's custom field types (what `mambu types --sandbox` writes): the examples are
 * compiled with them, as a user's project with its tenant's types.
 */
export const DEMO_TENANT_TYPES = "config/sandbox-demo.d.ts";

/**
 * Type-checks every block as a user's strict TypeScript file ("mambu-ts" is lib/, with the demo
 * tenant's {@link DEMO_TENANT_TYPES}): a block without imports gets every export of mambu-ts (as in
 * the REPL); setup code comes first (`doctest` is any).
 * @returns one message per error, with its README line.
 */
export function typeCheck(blocks: DocBlock[], root: string, exported: string[]): string[] {
  const files = new Map<string, { text: string; block: DocBlock; before: number; setup: number }>();
  for (const block of blocks) {
    const code = block.lines.join("\n");
    const head = [/^import\s/m.test(code) ? "" : `import { ${exported.join(", ")} } from "mambu-ts";`, "declare const doctest: any; export {};"];
    const setup = block.setup.length ? block.setup.join("\n").split("\n") : [];
    files.set(join(root, `README.md.${block.line}.ts`), { text: [...head, ...setup, code].join("\n"), block, before: head.length, setup: setup.length });
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    types: ["node"],
    typeRoots: [join(root, "node_modules", "@types")],
    baseUrl: root,
    paths: { "mambu-ts": ["lib/index.ts"], "mambu-ts/sandbox": ["lib/sandbox/index.ts"], "mambu-ts/migrate": ["lib/migrate/index.ts"], "mambu-ts/db": ["lib/db/index.ts"] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, v, ...rest) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!.text, v) : getSourceFile.call(host, f, v, ...rest));
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f)?.text ?? readFile.call(host, f);
  const program = ts.createProgram([...files.keys(), join(root, DEMO_TENANT_TYPES)], options, host);
  return diagnosticsOf(program).flatMap((d) => {
    if (d.file && d.file.fileName === join(root, DEMO_TENANT_TYPES)) return [`${DEMO_TENANT_TYPES}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`];
    const file = d.file && files.get(d.file.fileName);
    if (!file || d.start === undefined) return [];
    const line = d.file!.getLineAndCharacterOfPosition(d.start).line - file.before;
    const where = line < file.setup ? `setup of README.md:${file.block.line}` : `README.md:${file.block.line + 1 + line - file.setup}`;
    return [`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`];
  });
}

/** TypeScript → CommonJS, without type checking (that is {@link typeCheck}'s). */
export function compile(code: string, fileName: string): string {
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName,
  });
  return outputText;
}

/** Whether printed text matches `expected`: whitespace runs count as one space, and `...` stands for anything. */
export function textMatches(actual: string, expected: string): boolean {
  const norm = (t: string): string => t.replace(/\s+/g, " ").trim();
  const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = norm(expected).split(/\s*\.\.\.\s*/).map(escape).join("[\\s\\S]*?");
  return new RegExp(`^${pattern}$`).test(norm(actual));
}

/** What console.log would print for these arguments. */
export function printed(args: unknown[]): string {
  return format(...args);
}

/** The checker a block calls (`__doc`): a failed check throws at once, with its README line. */
export class Checker {
  /** The checks that ran (by index). */
  readonly ran = new Set<number>();
  constructor(
    private readonly checks: DocCheck[],
    private readonly out: string[],
  ) {}

  private fail(id: number, message: string): never {
    const c = this.checks[id];
    throw new Error(`README.md:${c.line}: // ${c.kind} ${c.cls ? `${c.cls}: ` : ""}${c.text}\n${message}`);
  }

  /** `console.log(...); // → text`: prints, and what it printed must match. */
  log(id: number, ...args: unknown[]): void {
    const text = printed(args);
    this.out.push(text);
    this.ran.add(id);
    if (!textMatches(text, this.checks[id].text)) this.fail(id, `printed: ${text}`);
  }

  /** `expr; // → text`: the value as the REPL shows it (util.inspect) must match. */
  shows(id: number, value: unknown): void {
    this.ran.add(id);
    const text = inspect(value);
    if (!textMatches(text, this.checks[id].text)) this.fail(id, `shows: ${text}`);
  }

  /** `stmt; // throws Class: message`: must throw synchronously. */
  throws(id: number, fn: () => unknown, klass: Function | undefined): void {
    this.ran.add(id);
    let result: unknown;
    try {
      result = fn();
    } catch (e) {
      this.checkError(id, e, klass);
      return;
    }
    if (result && typeof (result as Promise<unknown>).then === "function") (result as Promise<unknown>).then(undefined, () => undefined);
    this.fail(id, "it did not throw");
  }

  /** `await stmt; // rejects Class: message`: must reject. */
  async rejects(id: number, fn: () => Promise<void>, klass: Function | undefined): Promise<void> {
    this.ran.add(id);
    const outcome = await fn().then(
      () => ({ ok: true as const }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    if (outcome.ok) this.fail(id, "it did not reject");
    this.checkError(id, outcome.e, klass);
  }

  private checkError(id: number, e: unknown, klass: Function | undefined): void {
    if (klass && !(e instanceof klass)) this.fail(id, `it threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : inspect(e)}, not a ${klass.name}`);
    const text = e instanceof Error ? e.message : String(e);
    if (this.checks[id].text !== "" && !textMatches(text, this.checks[id].text)) this.fail(id, `message: ${text}`);
  }
}

/** A console whose output is kept (log/info/debug/warn/error), so blocks can print and output blocks be compared. */
export function capturingConsole(out: string[]): Pick<Console, "log" | "info" | "debug" | "warn" | "error"> {
  const push = (...args: unknown[]): void => {
    out.push(printed(args));
  };
  return { log: push, info: push, debug: push, warn: push, error: push };
}

/**
 * Writes into `dir` a migration plan `plan.yaml` with the first `clients` clients of the example in
 * config/migration (their loans and repayments), for examples that run "plan.yaml".
 */
export function writeExamplePlan(dir: string, clients: number): void {
  const example = join(__dirname, "..", "..", "config", "migration");
  const plan = parseYaml(readFileSync(join(example, "plan.yaml"), "utf8")) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const csv = (name: string): string[] => readFileSync(join(example, name), "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l !== "");
  const [clientHead, ...clientRows] = csv("clients.csv");
  const kept = clientRows.slice(0, clients);
  const ids = new Set(kept.map((r) => r.split(",")[0]));
  const [loanHead, ...loanRows] = csv("loans.csv");
  const loans = loanRows.filter((r) => ids.has(r.split(",")[1]) && r.split(",")[2] === "CLIENT");
  const loanIds = new Set(loans.map((r) => r.split(",")[0]));
  const [repHead, ...repRows] = csv("repayments.csv");
  writeFileSync(join(dir, "clients.csv"), [clientHead, ...kept].join("\n") + "\n");
  writeFileSync(join(dir, "loans.csv"), [loanHead, ...loans].join("\n") + "\n");
  writeFileSync(join(dir, "repayments.csv"), [repHead, ...repRows.filter((r) => loanIds.has(r.split(",")[1]))].join("\n") + "\n");
  plan.sources = { clients: { file: "clients.csv" }, loans: { file: "loans.csv" }, repayments: { file: "repayments.csv" } };
  for (const part of ["mapping", "defaults"]) for (const k of Object.keys(plan[part] ?? {})) if (!(k in plan.sources)) delete plan[part][k];
  delete plan.steps;
  writeFileSync(join(dir, "plan.yaml"), stringifyYaml(plan));
}
