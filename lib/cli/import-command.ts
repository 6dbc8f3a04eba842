/**
 * `mambu import <file.xlsx>` and `mambu bulk status|wait <bulkProcessKey>`: Mambu's asynchronous work from the
 * terminal.
 *
 * `import` checks the workbook (a readable .xlsx/.xls, ≤ 10 MiB) before anything is sent, asks before uploading
 * it on a terminal (without one it needs `--yes`), follows the import with a progress display on stderr until
 * Mambu is done, then: ERROR — the refused cells as a table (sheet, row, column, message), nothing imported, exit
 * code 3; COMPLETE — the draft is approved (`--approve`), rejected (`--reject`) or, on a terminal, the user is
 * asked. Without a terminal one of `--approve`, `--reject`, `--no-wait` must say what to do, before the upload.
 *
 * `bulk status` reads a bulk process once; `bulk wait` follows it with the same display, exit code 3 when it did
 * not end COMPLETE or refused rows.
 */
import { resolve } from "node:path";
import { stringifyExact } from "../core/json";
import { BulkStatus, getBulkStatus, waitForBulk } from "../core/bulk";
import { PENDING_STATES } from "../core/poll";
import { MambuDataImport, readWorkbook } from "../entities/data-import";
import type { DataImport, DataImportError } from "../entities/data-import";
import { OptionSpec, positiveInt } from "./args";
import type { Command, CommandContext } from "./commands";
import { askYesNo, canAsk, describeRequest, mustAsk, processIO } from "./confirm";
import { EXIT, UsageError } from "./exit";
import { prettyJson } from "./output";
import { ProgressFrame, StateProgress } from "./progress";
import { renderTable } from "./table";
import { MaybeTerminal, terminalWidth } from "./terminal";

const INTERVAL: OptionSpec = { name: "interval", kind: "value", arg: "MS", help: "milliseconds between two reads of the status (default 1000)" };
const MAX_POLLS: OptionSpec = { name: "max-polls", kind: "value", arg: "N", help: "reads of the status before giving up (default 600)" };

/** `--interval` and `--max-polls`, checked. */
function pollOptions(ctx: CommandContext, command: string): { intervalMs?: number; maxPolls?: number } {
  const v = (name: string): string | undefined => (typeof ctx.args.options[name] === "string" ? (ctx.args.options[name] as string) : undefined);
  const intervalMs = positiveInt("interval", v("interval"), command, 0);
  const maxPolls = positiveInt("max-polls", v("max-polls"), command, 1);
  if (intervalMs !== undefined && intervalMs > 3_600_000) throw new UsageError(`--interval must be at most 3600000 (an hour), got ${intervalMs}`, command);
  if (maxPolls !== undefined && maxPolls > 100_000) throw new UsageError(`--max-polls must be at most 100000, got ${maxPolls}`, command);
  return { ...(intervalMs !== undefined ? { intervalMs } : {}), ...(maxPolls !== undefined ? { maxPolls } : {}) };
}

/** The progress display of a command, or none with `--no-progress`. */
function progressFor(ctx: CommandContext, label: string): StateProgress | undefined {
  if (ctx.out.progress === false) return undefined;
  return new StateProgress(ctx.out.stderr, { label, width: terminalWidth(ctx.out.stderr as MaybeTerminal) });
}

/** Prints a document as the output format asks (`--json` pretty, `--jsonl` one line). */
function printJson(ctx: CommandContext, doc: unknown): void {
  const compact = stringifyExact(doc);
  ctx.out.stdout.write(`${ctx.out.format === "jsonl" ? compact : prettyJson(compact)}\n`);
}

/**
 * Text from Mambu as a terminal may show it: control characters (an escape sequence echoed from a workbook's cell,
 * a line break) become `?`, so that a message cannot move the cursor, recolour or rewrite the screen.
 */
export function printable(v: unknown): string {
  // eslint-disable-next-line no-control-regex
  return v === undefined || v === null ? "" : String(v).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/** The refused cells of an import as a table: sheet, row, column, message. */
export function importErrorsTable(errors: readonly DataImportError[], width?: number): string {
  return renderTable(errors, [
    { header: "sheet", value: (e) => printable(e.sheet) },
    { header: "row", value: (e) => e.row ?? "", align: "right" },
    { header: "column", value: (e) => printable(e.column?.name ?? (e.column?.index !== undefined ? `#${e.column.index}` : "")) },
    { header: "message", value: (e) => printable(e.errorMessage), overflow: "wrap" },
  ], { width });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function importFrame(imp: { state: string }): ProgressFrame {
  return { state: imp.state, done: !PENDING_STATES.has(imp.state) };
}

/** What to do with the draft of an import that ended COMPLETE. */
type Decision = "APPROVE" | "REJECT" | "ASK" | "NONE";

/** On a terminal: approve? else reject? else leave it. */
async function askDecision(imp: DataImport): Promise<"APPROVE" | "REJECT" | undefined> {
  const io = processIO();
  if (await askYesNo(`Approve import ${imp.importKey}: keep everything it wrote? [y/N] `, io)) return "APPROVE";
  if (await askYesNo(`Reject it instead: revert everything it wrote? [y/N] `, io)) return "REJECT";
  return undefined;
}

/** Prints the end of an import and resolves to the exit code. */
async function finishImport(ctx: CommandContext, imp: DataImport, decision: Decision): Promise<number> {
  const key = imp.importKey;
  const table = ctx.out.format === "table";
  if (imp.state === "ERROR") {
    if (!table) printJson(ctx, imp.toJSON());
    else {
      ctx.out.stdout.write(`Import ${key} ended in ERROR: ${plural(imp.errors.length, "error")} in the workbook; nothing was imported.\n`);
      if (imp.errors.length) ctx.out.stdout.write(`${importErrorsTable(imp.errors, ctx.out.width)}\n`);
    }
    return EXIT.MAMBU;
  }
  if (imp.state !== "COMPLETE") {
    if (!table) printJson(ctx, imp.toJSON());
    else ctx.out.stdout.write(`Import ${key} ended ${imp.state}: nothing to approve.\n`);
    return EXIT.MAMBU;
  }
  const chosen = decision === "ASK" ? await askDecision(imp) : decision === "NONE" ? undefined : decision;
  if (chosen === "APPROVE") await imp.approve();
  else if (chosen === "REJECT") await imp.reject();
  if (!table) {
    printJson(ctx, imp.toJSON());
    return EXIT.OK;
  }
  if (chosen === "APPROVE") ctx.out.stdout.write(`Import ${key} is COMPLETE and approved: what it wrote is kept.\n`);
  else if (chosen === "REJECT") ctx.out.stdout.write(`Import ${key} is COMPLETE and rejected: everything it wrote was reverted.\n`);
  else {
    ctx.out.stdout.write(
      `Import ${key} is COMPLETE, left as a draft (event ${imp.eventKey ?? "?"}): approve or reject it later, ` +
        `e.g. (await MambuDataImport.get("${key}")).approve()\n`,
    );
  }
  return EXIT.OK;
}

async function runImport(ctx: CommandContext): Promise<number> {
  const NAME = "import";
  const [file, ...extra] = ctx.args.positionals;
  if (!file) throw new UsageError("which workbook? mambu import <file.xlsx>", NAME);
  if (extra.length) throw new UsageError(`too many arguments: ${extra.join(" ")}`, NAME);
  const o = ctx.args.options;
  const approve = !!o.approve;
  const reject = !!o.reject;
  const wait = o.wait !== false;
  if (approve && reject) throw new UsageError("give --approve or --reject, not both", NAME);
  if (!wait && (approve || reject)) throw new UsageError(`--no-wait and --${approve ? "approve" : "reject"} do not go together: the draft can be ${approve ? "approved" : "rejected"} only once Mambu is done with it`, NAME);
  const poll = pollOptions(ctx, NAME);
  const io = processIO();
  const decision: Decision = approve ? "APPROVE" : reject ? "REJECT" : wait ? "ASK" : "NONE";
  // Settled before anything is read or sent: without a terminal nobody can answer "approve?" later.
  if (decision === "ASK" && !canAsk(io)) {
    throw new UsageError("the import ends as a draft to approve or reject, and there is no terminal to ask on: add --approve, --reject or --no-wait", NAME);
  }
  const ask = mustAsk({ command: NAME, what: "import", where: "POST /data/import", yes: !!o.yes }, io);
  // What the user typed is shown in errors; a path that climbs directories is theirs to climb (resolved).
  const workbook = await readWorkbook(file.split(/[/\\]/).includes("..") ? resolve(file) : file, NAME);
  const s = await ctx.session();
  if (ask) {
    const shown = describeRequest({ method: "POST", path: "/data/import" }, s.connector.baseUrl(), s.secrets());
    io.prompt.write(`mambu will send:\n${shown}\n  file ${workbook.fileName} (${workbook.data.length} bytes, an .${workbook.ext} workbook)\n`);
    if (!(await askYesNo("Proceed? [y/N] ", io))) {
      ctx.out.stderr.write("mambu: cancelled, nothing sent\n");
      return EXIT.FAILURE;
    }
  }
  const imp = await MambuDataImport.upload({ fileName: workbook.fileName, data: workbook.data }, { connector: s.connector });
  ctx.out.stderr.write(`mambu: uploaded ${workbook.fileName}: import ${imp.importKey}\n`);
  if (!wait) {
    if (ctx.out.format === "table") ctx.out.stdout.write(`Import ${imp.importKey} is ${imp.state}.\n`);
    else printJson(ctx, imp.toJSON());
    return EXIT.OK;
  }
  const progress = progressFor(ctx, `import ${imp.importKey}`);
  progress?.update(importFrame(imp));
  try {
    await imp.wait({ ...poll, onProgress: (p) => progress?.update(importFrame(p)) });
  } finally {
    progress?.finish(importFrame(imp));
  }
  return finishImport(ctx, imp, decision);
}

/** `mambu import`. */
export const importCommand: Command = {
  name: "import",
  globals: ["json", "jsonl", "sandbox", "progress", "debug", "help"],
  synopsis: "<file.xlsx>",
  summary: "Import a workbook of clients, accounts and transactions (POST /data/import), follow it, approve or reject it.",
  description:
    "The workbook (.xlsx or .xls, at most 10 MiB; one sheet per kind of record, its first row the API's field names) is\n" +
    'checked before anything is sent. On a terminal the upload is shown and "Proceed? [y/N]" asked (without one: --yes).\n' +
    "The import is followed until Mambu is done (progress on stderr; --no-progress for none). When it ends in ERROR the\n" +
    "refused cells are listed (sheet, row, column, message), nothing is imported, and the exit code is 3. When it ends\n" +
    "COMPLETE its draft is approved (--approve: the data is kept) or rejected (--reject: everything it wrote is\n" +
    "reverted); on a terminal without either you are asked. Without a terminal give --approve, --reject or --no-wait\n" +
    "(upload only: prints the import key; decide later through MambuDataImport.get(key)).",
  options: [
    { name: "approve", kind: "flag", help: "approve the import once COMPLETE: keep what it wrote" },
    { name: "reject", kind: "flag", help: "reject the import once COMPLETE: revert everything it wrote" },
    { name: "wait", kind: "flag", help: "follow the import until Mambu is done (default; --no-wait: upload, print the key, exit)" },
    { name: "yes", kind: "flag", short: "y", help: "upload without asking (required without a terminal)" },
    INTERVAL,
    MAX_POLLS,
  ],
  examples: [
    "mambu import clients.xlsx",
    "mambu import clients.xlsx --yes --approve",
    "mambu import clients.xlsx --yes --reject --json",
    "mambu import clients.xlsx --yes --no-wait",
  ],
  run: runImport,
};

/** `Bulk K: COMPLETE, 2 rows done, 1 refused`. */
function bulkDetail(s: BulkStatus): string {
  return `${plural(s.processedItems?.length ?? 0, "row")} done, ${s.errors?.length ?? 0} refused`;
}

function bulkFrame(s: BulkStatus): ProgressFrame {
  const state = String(s.status ?? "?");
  return { state, done: !PENDING_STATES.has(state), detail: bulkDetail(s) };
}

/** Prints a bulk status: a summary line and the refused rows as a table, or its JSON. */
function printBulk(ctx: CommandContext, key: string, s: BulkStatus): void {
  if (ctx.out.format !== "table") {
    printJson(ctx, s);
    return;
  }
  ctx.out.stdout.write(`Bulk ${key}: ${s.status ?? "?"}, ${bulkDetail(s)}.\n`);
  const errors = s.errors ?? [];
  if (!errors.length) return;
  ctx.out.stdout.write(`${renderTable(errors, [
    { header: "index", value: (e) => e.indexInRequest ?? "", align: "right" },
    { header: "externalId", value: (e) => printable(e.externalId) },
    { header: "code", value: (e) => e.errorCode ?? "", align: "right" },
    { header: "reason", value: (e) => printable(e.errorReason) },
    { header: "source", value: (e) => printable(e.errorSource), overflow: "wrap" },
  ], { width: ctx.out.width })}\n`);
}

async function runBulk(ctx: CommandContext): Promise<number> {
  const NAME = "bulk";
  const [verb, key, ...extra] = ctx.args.positionals;
  if (verb !== "status" && verb !== "wait") {
    throw new UsageError(verb ? `unknown action "${verb}": status or wait` : "status or wait? mambu bulk status <bulkProcessKey>", NAME);
  }
  if (!key) throw new UsageError(`which bulk process? mambu bulk ${verb} <bulkProcessKey>`, NAME);
  if (extra.length) throw new UsageError(`too many arguments: ${extra.join(" ")}`, NAME);
  const poll = pollOptions(ctx, NAME);
  if (verb === "status" && Object.keys(poll).length) throw new UsageError("--interval and --max-polls apply to bulk wait", NAME);
  const s = await ctx.session();
  if (verb === "status") {
    printBulk(ctx, key, await getBulkStatus(key, { connector: s.connector }));
    return EXIT.OK;
  }
  const progress = progressFor(ctx, `bulk ${key}`);
  let last: BulkStatus | undefined;
  try {
    last = await waitForBulk(key, { ...poll, connector: s.connector, onProgress: (st) => progress?.update(bulkFrame((last = st))) });
  } finally {
    progress?.finish(last ? bulkFrame(last) : undefined);
  }
  printBulk(ctx, key, last);
  return last.status === "COMPLETE" && !(last.errors ?? []).length ? EXIT.OK : EXIT.MAMBU;
}

/** `mambu bulk`. */
export const bulkCommand: Command = {
  name: "bulk",
  globals: ["json", "jsonl", "sandbox", "progress", "debug", "help"],
  synopsis: "status|wait <bulkProcessKey>",
  summary: "Show a bulk process (GET /bulks/{key}: state, rows done, rows refused), or follow it until Mambu is done.",
  description:
    "status reads it once; wait reads it until it is no longer QUEUED or IN_PROGRESS, with a progress display on stderr,\n" +
    "then prints it: the refused rows as a table (index in the request, externalId, Mambu's code and reason). The exit\n" +
    "code of wait is 3 when the bulk did not end COMPLETE or refused rows.",
  options: [INTERVAL, MAX_POLLS],
  examples: ["mambu bulk status 8a19c0a18f2e4a1b", "mambu bulk wait 8a19c0a18f2e4a1b", "mambu bulk wait 8a19c0a18f2e4a1b --json --no-progress"],
  run: runBulk,
};
