/**
 * The mambu-ts REPL: Node's REPL with every export of mambu-ts in scope (entity classes,
 * `mambuconfig`, `Decimal`, `DateTime`, the errors), top-level `await`, persistent history, a
 * writer that prints entities, lists, schedules and errors readably (never a credential), and the
 * commands `.help` and `.config`.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import * as nodeRepl from "node:repl";
import { PassThrough } from "node:stream";
import { inspect, types } from "node:util";
import Decimal from "decimal.js";
import { DateTime } from "luxon";
import * as api from "../index";
import { MambuEntity } from "../core/entity";
import { MambuCommError, MambuError, MambuTsError } from "../errors";
import { ensureAccessors, MambuStruct } from "../core/struct";
import type { StructClass } from "../core/struct";
import { packageVersion } from "../transport";
import { currencyOf, DEFAULT_COLUMNS, guessColumns, SCHEDULE_COLUMNS } from "./columns";
import { configTable, maskUrl } from "./configview";
import { entities, entityClasses } from "./entities";
import { tableColumns } from "./output";
import { forDisplay } from "./repl-display";
import { keepSecretsOutOfHistory } from "./history-secrets";
import { renderTable } from "./table";
import { terminalWidth } from "./terminal";

/** Rows of a list shown in a table before "... N more". */
const MAX_ROWS = 100;

/** The namespaces of the Services API (`/v1`) and the Payments API (`/api/v1`), by their exported name. */
const NAMESPACES = ["Services", "Payments"] as const;

/** The classes of a namespace (`Services.Currency`, `Payments.StandingOrder`, ...), by name; errors left out. */
function namespaceClasses(ns: (typeof NAMESPACES)[number]): Array<[string, Function]> {
  const mod = (api as unknown as Record<string, Record<string, unknown>>)[ns] ?? {};
  return Object.entries(mod)
    .filter((e): e is [string, Function] => typeof e[1] === "function" && /^[A-Z]/.test(e[0]) && !/Error$/.test(e[0]) && !!(e[1] as { prototype?: unknown }).prototype)
    .sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The Services and Payments classes the REPL also puts in scope under their own name (`Currency` for
 * `Services.Currency`, `StandingOrder` for `Payments.StandingOrder`): those whose name is not an export of
 * mambu-ts, a class of the other namespace, or a global of Node.
 */
export function namespaceShortNames(): Map<string, { ns: string; cls: Function }> {
  const out = new Map<string, { ns: string; cls: Function }>();
  const clash = new Set<string>();
  for (const ns of NAMESPACES) {
    for (const [name, cls] of namespaceClasses(ns)) {
      if (out.has(name)) clash.add(name);
      else out.set(name, { ns, cls });
    }
  }
  for (const name of clash) out.delete(name);
  for (const name of [...out.keys()]) if (Object.prototype.hasOwnProperty.call(api, name) || name in globalThis) out.delete(name);
  return out;
}

let shortNames: Map<string, { ns: string; cls: Function }> | undefined;

/** Everything the REPL puts in scope: every runtime export of mambu-ts, by its exported name, and the Services and Payments classes by their own name where nothing else has it. */
export function replGlobals(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(api)) if (k !== "default" && k !== "__esModule") out[k] = v;
  // Computed once, before installGlobals puts them on globalThis (they would then clash with themselves).
  shortNames ??= namespaceShortNames();
  for (const [name, { cls }] of shortNames) out[name] = cls;
  return out;
}

/** The namespace and class of a Services or Payments class instance (`Services.Currency`), or undefined. */
function namespaceLabel(v: unknown): string | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const ctor = (v as object).constructor;
  for (const ns of NAMESPACES) for (const [name, cls] of namespaceClasses(ns)) if (cls === ctor) return `${ns}.${name}`;
  return undefined;
}

/** A Services or Payments record for `inspect`: its fields (none undefined), amounts, rates and dates as the tables show them. */
function namespaceDisplay(v: object): object {
  const plain: Record<string, unknown> = {};
  for (const k of Object.keys(v)) if ((v as Record<string, unknown>)[k] !== undefined) plain[k] = (v as Record<string, unknown>)[k];
  const copy = Object.create(Object.getPrototypeOf(v)) as object;
  return Object.assign(copy, forDisplay(plain));
}

/** Table columns for Services/Payments records: their scalar fields (Decimals and DateTimes included), at most 8. */
function namespaceColumns(rows: readonly object[]): string[] {
  const keys: string[] = [];
  for (const r of rows.slice(0, 20)) {
    for (const [k, x] of Object.entries(r)) {
      const scalar = x !== undefined && (x === null || typeof x !== "object" || Decimal.isDecimal(x) || DateTime.isDateTime(x));
      if (scalar && !keys.includes(k)) keys.push(k);
    }
  }
  return keys.slice(0, 8);
}

/**
 * Puts the REPL's globals on `target` (default `globalThis`), so that `node -i -r mambu-ts/repl`
 * and `mambu repl` see them; also installs the field accessors of every entity class so that tab
 * completion lists their fields before the first record is read. Returns the names installed.
 */
export function installGlobals(target: object = globalThis): string[] {
  const g = replGlobals();
  for (const [k, v] of Object.entries(g)) {
    Object.defineProperty(target, k, { value: v, writable: true, configurable: true, enumerable: false });
  }
  for (const cls of entityClasses().values()) ensureAccessors(cls as unknown as StructClass);
  if (typeof g.MambuInstallment === "function") ensureAccessors(g.MambuInstallment as unknown as StructClass);
  return Object.keys(g);
}

/** Options of {@link formatReplValue}. */
export interface FormatOptions {
  colors?: boolean;
  /** Fit tables to this many characters per line (the terminal's width). */
  width?: number;
}

function entityTable(rows: readonly unknown[], paths: readonly string[], currency?: string, width?: number): string {
  const shown = rows.slice(0, MAX_ROWS);
  const table = renderTable(shown, tableColumns(shown, paths, false, currency), { width });
  return rows.length > MAX_ROWS ? `${table}\n... ${rows.length - MAX_ROWS} more (index the array, e.g. x[${MAX_ROWS}], or x.slice(${MAX_ROWS}))` : table;
}

/** The columns shown for a list of records of one class. */
function columnsOf(cls: Function, rows: readonly unknown[]): readonly string[] {
  if (cls.name === "MambuInstallment") return SCHEDULE_COLUMNS;
  const e = entities().find((x) => x.cls === cls);
  return (e && DEFAULT_COLUMNS[e.name]) ?? guessColumns(rows);
}

/** How an error prints: Mambu errors with their code, status, reason and request; no stack for library errors. */
export function formatError(e: Error, opts: FormatOptions = {}): string {
  if (e instanceof MambuError) {
    const fields: Record<string, unknown> = {};
    for (const k of ["errorCode", "status", "errorReason", "errorSource", "attempts", "method", "url"] as const) {
      if (e[k] !== undefined) fields[k] = e[k];
    }
    if (e.errors.length > 1) fields.errors = e.errors;
    const kind = e instanceof MambuCommError ? "MambuCommError" : e.name;
    return `${kind}: ${e.message} ${inspect(fields, { colors: opts.colors, breakLength: 100 })}`;
  }
  if (e instanceof MambuTsError) return `${e.name}: ${e.message}`;
  return inspect(e, { colors: opts.colors });
}

/**
 * How the REPL prints a value: one entity as `MambuLoan(54321) { ... }` (money with its currency's
 * decimals, dates with their offset), a list of records or a schedule as a table (fitted to
 * `opts.width`), errors readably, lazy chains and lists as what they are, a bare Decimal or
 * DateTime as money and ISO date (see repl-display.ts); anything else as Node prints it.
 */
export function formatReplValue(v: unknown, opts: FormatOptions = {}): string {
  if (v instanceof Error) return formatError(v, opts);
  if (types.isProxy(v) && typeof (v as { then?: unknown }).then === "function") {
    // A fluent chain (Node's inspect shows a proxy's target, not the chain).
    const label = String((v as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] ?? "MambuChain");
    return `${label} <lazy: put await in front to run it>`;
  }
  if (Array.isArray(v) && v.length > 0 && v[0] instanceof MambuStruct) {
    const cls = (v[0] as object).constructor;
    const homogeneous = v.every((x) => x instanceof MambuStruct && x.constructor === cls);
    if (homogeneous && (v[0] instanceof MambuEntity || cls.name === "MambuInstallment")) {
      const label = cls.name === "MambuInstallment" ? `schedule: ${v.length} installment${v.length === 1 ? "" : "s"}` : `${v.length} × ${cls.name}`;
      return `${label}\n${entityTable(v, columnsOf(cls, v), currencyOf(v[0]), opts.width)}`;
    }
  }
  // The Services and Payments records (Services.Currency, Payments.StandingOrder...): a list as a table, one as its fields.
  const label = Array.isArray(v) ? (v.length ? namespaceLabel(v[0]) : undefined) : namespaceLabel(v);
  if (label && Array.isArray(v) && v.every((x) => namespaceLabel(x) === label)) {
    const rows = v as object[];
    return `${rows.length} × ${label}\n${entityTable(rows, namespaceColumns(rows), undefined, opts.width)}`;
  }
  if (label && !Array.isArray(v)) return inspect(namespaceDisplay(v as object), { colors: opts.colors, showProxy: false, depth: 3 });
  return inspect(forDisplay(v), { colors: opts.colors, showProxy: false, depth: 3 });
}

/** The text of `.help`: what is loaded, three examples, the commands. */
export function helpText(server?: nodeRepl.REPLServer): string {
  const names = Object.keys(replGlobals());
  const entityNames = [...entityClasses().values()].map((c) => c.name).sort();
  const short = shortNames ?? namespaceShortNames();
  const others = names.filter((n) => !entityNames.includes(n) && !short.has(n)).sort();
  const nsLine = (ns: (typeof NAMESPACES)[number]): string => {
    const classes = namespaceClasses(ns).map(([n]) => `${ns}.${n}`);
    const alias = [...short].filter(([, x]) => x.ns === ns).map(([n]) => n);
    return `${classes.join(", ")}${alias.length ? ` (also as ${alias.join(", ")})` : ""}`;
  };
  const commands = server
    ? Object.entries(server.commands)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([n, c]) => `  .${n.padEnd(8)} ${c?.help ?? ""}`)
    : [];
  return [
    `mambu-ts ${packageVersion()} REPL: top-level await works; Tab completes fields and custom fields (client.<Tab>).`,
    "",
    `Entities: ${entityNames.join(", ")}`,
    `Services API (/v1; operations as services.<resource>.<operationId>): ${nsLine("Services")}`,
    `Payments API (/api/v1, API key only; operations as payments.<resource>.<operationId>): ${nsLine("Payments")}`,
    `Also:     ${others.join(", ")}`,
    "",
    "Examples:",
    '  > const client = await MambuClient.get("0512N0025", { detailsLevel: "FULL" }); client.firstName',
    '  > await MambuLoan.get("54321").getSchedule()',
    '  > await MambuLoan.search({ filterCriteria: [{ field: "accountState", operator: "EQUALS", value: "ACTIVE" }], limit: 5 })',
    '  > await Services.Currency.list({ orderBy: "code desc" })',
    '  > (await Payments.StandingOrder.get("SO-1")).executions()',
    "",
    "Commands:",
    ...commands,
    "",
  ].join("\n");
}

/** Where the connection points, for the banner (`(not configured)` when there is no apiurl). */
function target(sandboxUrl?: string): string {
  if (sandboxUrl) return `the embedded sandbox at ${sandboxUrl} (demo tenant, user demo)`;
  const url = api.mambuconfig.get("apiurl");
  return url ? `Mambu at ${maskUrl(url)}` : "no tenant configured (set MAMBU_API_URL, ~/.mambupy.rc, or run mambu repl --sandbox)";
}

/** Options of {@link decorateRepl}. */
export interface DecorateOptions {
  /** Set when the session uses the embedded sandbox (shown in the banner and `.config`). */
  sandboxUrl?: string;
}

/** Methods and fields of an entity class (its prototype chain up to MambuStruct), for completion. */
export function memberNames(cls: Function): string[] {
  const names = new Set<string>();
  for (let p = cls.prototype as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== "constructor" && /^[A-Za-z_$][\w$]*$/.test(n)) names.add(n);
  }
  return [...names].sort();
}

/** A REPL completer: the text before the cursor → [completions, the part they complete]. */
export type Completer = (line: string, cb: (err: Error | null, result: [string[], string]) => void) => void;

const CHAIN = /(\b(Mambu[A-Za-z]+)\.get\((?:[^()]|\([^()]*\))*\))\.([A-Za-z_$][\w$]*)?$/;

/**
 * A completer that also completes members of a fluent chain (`MambuLoan.get("54321").getSch<Tab>`):
 * the chain is lazy and has no keys of its own, so its members are the entity class's.
 */
export function chainCompleter(inner: Completer): Completer {
  return (line, cb) => {
    const m = CHAIN.exec(line);
    const cls = m ? (globalThis as Record<string, unknown>)[m[2]] : undefined;
    if (m && typeof cls === "function" && cls.prototype instanceof MambuStruct) {
      const start = m[3] ?? "";
      const hits = memberNames(cls).filter((n) => n.startsWith(start)).map((n) => `${m[1]}.${n}`);
      cb(null, [hits, m[0]]);
      return;
    }
    inner(line, cb);
  };
}

/** Adds the mambu-ts writer, completion of chains, `.help`, `.config` and a history without secrets to a REPL server (the one `node -i` starts, or ours). */
export function decorateRepl(server: nodeRepl.REPLServer, opts: DecorateOptions = {}): nodeRepl.REPLServer {
  // A line holding a credential never reaches the history file (see history-secrets.ts).
  keepSecretsOutOfHistory(server);
  const writer = ((v: unknown) => formatReplValue(v, { colors: server.useColors, width: terminalWidth(server.output as { isTTY?: boolean; columns?: number }) })) as nodeRepl.REPLWriter;
  (server as unknown as { writer: nodeRepl.REPLWriter }).writer = writer;
  const inner = server.completer.bind(server) as Completer;
  (server as unknown as { completer: Completer }).completer = chainCompleter(inner);
  server.defineCommand("help", {
    help: "What is loaded, examples and commands",
    action() {
      this.clearBufferedCommand();
      this.output.write(helpText(this));
      this.displayPrompt();
    },
  });
  server.defineCommand("config", {
    help: "The effective configuration and where each value comes from (secrets masked)",
    action() {
      this.clearBufferedCommand();
      let text: string;
      try {
        text = configTable();
      } catch (e) {
        text = formatError(e as Error);
      }
      this.output.write(`${text}\n${opts.sandboxUrl ? `(the embedded sandbox: ${opts.sandboxUrl})\n` : ""}`);
      this.displayPrompt();
    },
  });
  return server;
}

/** Options of {@link startRepl}. */
export interface StartReplOptions extends DecorateOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** History file (default env MAMBU_REPL_HISTORY, else ~/.mambu_repl_history; "" keeps none). */
  historyPath?: string;
  /** Prompt (default `mambu> `). */
  prompt?: string;
  /** Force terminal mode (default: whether input and output are both terminals). */
  terminal?: boolean;
  /**
   * Called with what each line throws (an error typed or piped; not an unfinished line). `mambu
   * repl` uses it to exit non-zero when a piped script failed.
   */
  onError?: (error: unknown) => void;
}

/** The history file of the REPL: env MAMBU_REPL_HISTORY, else ~/.mambu_repl_history ("" keeps none). */
export function historyFile(): string {
  const env = process.env.MAMBU_REPL_HISTORY;
  return env !== undefined ? env : join(homedir(), ".mambu_repl_history");
}

/**
 * Feeds piped input to the REPL one line at a time: the next line is released only when the REPL
 * shows its prompt again, so `await` lines finish before the following lines run and nothing is
 * lost when the input ends (Node's REPL only waits for awaits when typing in a terminal).
 */
export class LineGate {
  /** What the REPL reads. */
  readonly stream = new PassThrough();
  private readonly queue: string[] = [];
  private partial = "";
  private ended = false;
  private outstanding = true;

  constructor(input: NodeJS.ReadableStream) {
    input.setEncoding?.("utf8");
    input.on("data", (chunk: string | Buffer) => {
      const lines = (this.partial + String(chunk)).split("\n");
      this.partial = lines.pop() ?? "";
      for (const l of lines) this.queue.push(`${l}\n`);
      this.pump();
    });
    input.on("end", () => {
      if (this.partial) this.queue.push(`${this.partial}\n`);
      this.partial = "";
      this.ended = true;
      this.pump();
    });
  }

  /**
   * The REPL is ready for the next line (its prompt is shown). The line is given on a later turn,
   * never from within the REPL's own handlers: the prompt is also shown while Node handles an error,
   * and a line evaluated inside that handler would leave its domain (Node then crashes on
   * `process.domain.exit()` when an awaited rejection is followed by a line that throws).
   */
  ready(): void {
    this.outstanding = false;
    setImmediate(() => this.pump());
  }

  private pump(): void {
    if (this.outstanding) return;
    const line = this.queue.shift();
    if (line !== undefined) {
      this.outstanding = true;
      this.stream.write(line);
    } else if (this.ended) {
      this.outstanding = true;
      this.stream.end();
    }
  }
}

/**
 * Reports what each evaluated line throws to `onError`. Node's REPL prints such an error ("Uncaught
 * ...") and goes on; it hands it (thrown, rejected by an `await`, or a syntax error) only to the
 * domain it evaluates in, `_domain`, which every REPLServer has had since Node 0.x — there is no
 * public event. Without that domain nothing is reported.
 */
function watchErrors(server: nodeRepl.REPLServer, onError: (error: unknown) => void): void {
  const domain = (server as unknown as { _domain?: NodeJS.EventEmitter })._domain;
  // Before Node's own handler: that one shows the next prompt, and a piped next line may run (and fail) within it.
  domain?.prependListener("error", (e: unknown) => onError(e));
}

/** Starts the mambu-ts REPL on stdin/stdout (or the given streams); resolves nothing, emits `exit` when done. */
export function startRepl(opts: StartReplOptions = {}): nodeRepl.REPLServer {
  installGlobals(globalThis);
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const terminal = opts.terminal ?? (!!(input as { isTTY?: boolean }).isTTY && !!(output as { isTTY?: boolean }).isTTY);
  const gate = terminal ? undefined : new LineGate(input);
  output.write(`mambu-ts ${packageVersion()}: ${target(opts.sandboxUrl)}. Type .help for what is loaded.\n`);
  output.write("Loaded: the API v2 entities (MambuClient, MambuLoan, ...), Services.* and services.* (the Services API, /v1), Payments.* and payments.* (the Payments API, /api/v1).\n");
  const server = nodeRepl.start({
    prompt: opts.prompt ?? "mambu> ",
    input: gate?.stream ?? input,
    output,
    terminal,
    useGlobal: true,
    ignoreUndefined: true,
  });
  decorateRepl(server, opts);
  if (opts.onError) watchErrors(server, opts.onError);
  if (gate) {
    const displayPrompt = server.displayPrompt.bind(server);
    server.displayPrompt = (preserveCursor?: boolean) => {
      displayPrompt(preserveCursor);
      gate.ready();
    };
    gate.ready();
  }
  const history = opts.historyPath ?? historyFile();
  server.setupHistory(history, (err) => {
    if (err) output.write(`(history not kept: ${err.message})\n`);
  });
  return server;
}
