/**
 * The servicing verbs of `mambu loan <verb>` and `mambu deposit <verb>`: one command per account
 * kind, each verb a thin layer over an ORM method. This module parses and checks what the verbs
 * share — the verb, the account id, an exact amount, `--notes`, `--date`, `--data JSON|@file|@-`,
 * `--yes` — before any request, asks for confirmation of the write (./confirm.ts), and prints
 * the verb's result: a short summary, or its JSON with `--json`/`--jsonl`.
 */
import { DateTime } from "luxon";
import { parseJsonExact, stringifyExact } from "../core/json";
import { Decimal } from "../core/money";
import { suggest } from "./args";
import { cellText, valueAt } from "./columns";
import type { Command, CommandContext } from "./commands";
import { confirmWrites, mustAsk, WriteCancelled } from "./confirm";
import { readData, readsStdin } from "./data-arg";
import { EXIT, UsageError } from "./exit";
import type { OptionSpec } from "./args";
import { prettyJson } from "./output";
import type { Session } from "./session";

/** The options a verb may take besides the common ones (`--notes`, `--date`, `--data`, `--yes`). */
export type VerbOption = "notes" | "date" | "data" | "to" | "to-loan" | "ref";

/** What a verb is given once its command line is checked. */
export interface VerbInput {
  ctx: CommandContext;
  session: Session;
  /** The account's id or encodedKey. */
  id: string;
  /** The amount argument, exact. */
  amount?: Decimal;
  notes?: string;
  /** `--date` as typed (a date, or a date-time with its offset); valid ISO. */
  date?: string;
  /** `--data`: a JSON object (numbers kept exactly). */
  data?: Record<string, unknown>;
  /** A verb option's value (`--to`, `--ref`, ...). */
  option(name: VerbOption): string | undefined;
}

/** What a verb did: lines for a person, a document for a program. */
export interface VerbResult {
  /** The human summary (printed without `--json`/`--jsonl`). */
  lines: string[];
  /** The machine form (printed with `--json`, or on one line with `--jsonl`). */
  json: Record<string, unknown>;
}

/** One verb of `mambu loan` / `mambu deposit`. */
export interface Verb {
  name: string;
  /** One line for `mambu <command> --help`. */
  summary: string;
  /** The amount argument: what it is called, and whether it must be given. */
  amount?: { name: string; required: boolean; help?: string };
  /** The endpoint written to, `{id}` standing for the account id (none: the verb only reads). */
  writes?: string;
  /** Options this verb takes. */
  options: readonly VerbOption[];
  /** Options that must be given. */
  requires?: readonly VerbOption[];
  /** Body fields that have their own argument (`amount`, `notes`, `valueDate`): `--data` must not hold them. */
  ownFields?: readonly string[];
  /** `--data` must be given. */
  dataRequired?: boolean;
  /** More lines for `mambu <command> <verb> --help`. */
  details?: string[];
  examples: string[];
  /** More checks of the input, before any request. @throws UsageError */
  check?(input: Omit<VerbInput, "ctx" | "session">): void;
  /** Prints its own output (a read such as `schedule`): resolves to the exit code. */
  print?(input: VerbInput): Promise<number>;
  /** Does the work (writes through the ORM). */
  run?(input: VerbInput): Promise<VerbResult>;
}

/** Where each verb option is explained in `--help`. */
const OPTION_SPECS: Record<VerbOption | "yes", OptionSpec> = {
  notes: { name: "notes", kind: "value", arg: "TEXT", help: "notes of the transaction or action" },
  date: { name: "date", kind: "value", arg: "DATE", help: "value date: YYYY-MM-DD (the account's time zone) or an ISO date-time with offset" },
  data: { name: "data", kind: "value", arg: "JSON|@file|@-", help: "more fields of the request body, as JSON (or @file, or @- for stdin)" },
  to: { name: "to", kind: "value", arg: "DEPOSIT_ID", help: "transfer: the deposit account receiving the money" },
  "to-loan": { name: "to-loan", kind: "value", arg: "LOAN_ID", help: "transfer: the loan repaid with the money" },
  ref: { name: "ref", kind: "value", arg: "REFERENCE", help: "block/unblock: the block's external reference id" },
  yes: { name: "yes", kind: "flag", short: "y", help: "do not ask for confirmation of a write (required without a terminal)" },
};

/** An amount as typed: digits with an optional decimal point, more than zero, kept exactly. */
export function parseAmount(text: string, what: string, command: string): Decimal {
  if (!/^\d+(\.\d+)?$/.test(text) && !/^\.\d+$/.test(text)) {
    throw new UsageError(`${what} must be a number such as 1500 or 250.75 (digits, a dot for decimals, no sign or thousands separator), got ${JSON.stringify(text)}`, command);
  }
  const d = new Decimal(text);
  if (d.isZero()) throw new UsageError(`${what} must be more than 0, got ${text}`, command);
  return d;
}

/** `--date`: a date (`2026-12-07`) or an ISO date-time with its offset. */
export function parseDate(text: string, command: string): string {
  const ok = /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(text) && DateTime.fromISO(text, { setZone: true }).isValid;
  if (!ok) throw new UsageError(`--date must be a date such as 2026-12-07 or a date-time such as 2026-12-07T10:00:00-06:00, got ${JSON.stringify(text)}`, command);
  return text;
}

/** `--data` as a JSON object. */
function dataObject(text: string, command: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = parseJsonExact(text);
  } catch (e) {
    throw new UsageError(`--data is not valid JSON: ${(e as Error).message}`, command);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new UsageError("--data must be a JSON object of body fields, e.g. '{\"externalId\":\"X-1\"}'", command);
  return v as Record<string, unknown>;
}

/** An amount of a record, with its currency's decimals and code: `1500.00 MXN`. */
export function money(v: unknown, currency?: string): string {
  if (v === undefined || v === null) return "?";
  return `${cellText(v, "amount", currency)}${currency ? ` ${currency}` : ""}`;
}

/** A field of a record (dotted path), or undefined. */
export function field(record: unknown, path: string): unknown {
  return valueAt(record, path);
}

/** A date-time of a record as text (Mambu's form), or undefined. */
export function dateOf(record: unknown, path: string): string | undefined {
  const v = valueAt(record, path);
  return v === undefined || v === null ? undefined : cellText(v, path);
}

/** What describes one of the two commands. */
export interface VerbCommandSpec {
  /** `loan` or `deposit`. */
  name: string;
  /** `<loanId>`. */
  idArg: string;
  summary: string;
  verbs: readonly Verb[];
  /** Examples of `--help`. */
  examples: string[];
}

function verbLine(spec: VerbCommandSpec, v: Verb): string {
  const amount = v.amount ? (v.amount.required ? ` <${v.amount.name}>` : ` [${v.amount.name}]`) : "";
  const req = (v.requires ?? []).map((o) => ` --${o} ${OPTION_SPECS[o].arg}`).join("");
  return `${v.name} ${spec.idArg}${amount}${req}`;
}

/** The verbs, one line each, for `mambu loan --help`. */
function verbsHelp(spec: VerbCommandSpec): string {
  const left = spec.verbs.map((v) => verbLine(spec, v));
  const w = Math.max(...left.map((l) => l.length));
  return ["Verbs:", ...spec.verbs.map((v, i) => `  ${left[i].padEnd(w)}  ${v.summary}`)].join("\n");
}

/** `mambu loan repay --help`: one verb in detail. */
function verbHelp(spec: VerbCommandSpec, v: Verb): string {
  const lines = ["", `mambu ${spec.name} ${verbLine(spec, v)}${v.options.filter((o) => !(v.requires ?? []).includes(o)).map((o) => ` [--${o} ${OPTION_SPECS[o].arg}]`).join("")}${v.writes ? " [--yes]" : ""}`, "", `  ${v.summary}`];
  if (v.writes) lines.push(`  Sends: ${v.writes.replace("{id}", spec.idArg).replace("{ref}", "<REFERENCE>")}`);
  if (v.amount?.help) lines.push(`  ${v.amount.name}: ${v.amount.help}`);
  for (const d of v.details ?? []) lines.push(`  ${d}`);
  lines.push("", "  Examples:", ...v.examples.map((e) => `    ${e}`), "");
  return lines.join("\n");
}

function findVerb(spec: VerbCommandSpec, name: string | undefined): Verb {
  if (!name) throw new UsageError(`which verb? mambu ${spec.name} <verb> ${spec.idArg}; verbs: ${spec.verbs.map((v) => v.name).join(", ")}`, spec.name);
  const v = spec.verbs.find((x) => x.name === name.toLowerCase());
  if (!v) {
    throw new UsageError(`unknown verb "${name}"${suggest(name, spec.verbs.map((x) => x.name), "")}; verbs: ${spec.verbs.map((x) => x.name).join(", ")}`, spec.name);
  }
  return v;
}

/** The argument that gives a body field (`--data` must not give it too). */
const OWN_FIELD_ARG: Record<string, string> = {
  amount: "the amount argument",
  topUpAmount: "the amount argument",
  notes: "--notes",
  valueDate: "--date",
  externalReferenceId: "--ref",
};

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === "string" ? v : undefined;
}

/** Checks the command line of a verb; everything here happens before any request. */
async function parseVerb(spec: VerbCommandSpec, ctx: CommandContext): Promise<{ verb: Verb; input: Omit<VerbInput, "ctx" | "session">; ask: boolean }> {
  const [name, id, amountText, ...extra] = ctx.args.positionals;
  const verb = findVerb(spec, name);
  const usage = `mambu ${spec.name} ${verbLine(spec, verb)}`;
  const cmd = spec.name;
  if (!id) throw new UsageError(`which account? ${usage}`, cmd);
  if (extra.length || (amountText !== undefined && !verb.amount)) {
    throw new UsageError(`too many arguments: ${[...(verb.amount ? [] : [amountText]), ...extra].join(" ")} (${usage})`, cmd);
  }
  if (verb.amount?.required && amountText === undefined) throw new UsageError(`${spec.name} ${verb.name} needs the ${verb.amount.name}: ${usage}`, cmd);
  const amount = amountText === undefined ? undefined : parseAmount(amountText, verb.amount!.name, cmd);
  for (const o of Object.keys(OPTION_SPECS) as Array<VerbOption | "yes">) {
    if (o === "yes" || ctx.args.options[o] === undefined) continue;
    if (!verb.options.includes(o)) throw new UsageError(`--${o} does not apply to ${spec.name} ${verb.name}`, cmd);
  }
  for (const o of verb.requires ?? []) {
    if (str(ctx, o) === undefined) throw new UsageError(`${spec.name} ${verb.name} needs --${o} ${OPTION_SPECS[o].arg}: ${usage}`, cmd);
  }
  if (ctx.args.options.yes && !verb.writes) throw new UsageError(`--yes does not apply to ${spec.name} ${verb.name} (it only reads)`, cmd);
  if (ctx.out.columns && !verb.print) throw new UsageError(`--columns does not apply to ${spec.name} ${verb.name}`, cmd);
  const date = str(ctx, "date") === undefined ? undefined : parseDate(str(ctx, "date")!, cmd);
  const where = verb.writes?.replace("{id}", encodeURIComponent(id)).replace("{ref}", encodeURIComponent(str(ctx, "ref") ?? ""));
  // Whether to ask is settled before stdin is read for --data @- (on a terminal that would wait for typing).
  const ask = where !== undefined && mustAsk({ command: cmd, what: `${spec.name} ${verb.name}`, where, yes: !!ctx.args.options.yes, bodyFromStdin: readsStdin(str(ctx, "data")) });
  const dataText = await readData(str(ctx, "data"), cmd);
  if (verb.dataRequired && dataText === undefined) throw new UsageError(`${spec.name} ${verb.name} needs --data with the request body (see mambu ${spec.name} ${verb.name} --help)`, cmd);
  const data = dataText === undefined ? undefined : dataObject(dataText, cmd);
  for (const f of verb.ownFields ?? []) {
    if (data && Object.prototype.hasOwnProperty.call(data, f)) throw new UsageError(`--data has "${f}": give it as ${OWN_FIELD_ARG[f] ?? f} instead`, cmd);
  }
  const input = { id, amount, notes: str(ctx, "notes"), date, data, option: (o: VerbOption) => str(ctx, o) };
  verb.check?.(input);
  return { verb, input, ask };
}

/**
 * The command `mambu <spec.name>`: `mambu loan repay 54321 100`. Its `--help` lists the verbs;
 * `mambu loan repay --help` shows one.
 */
export function verbCommand(spec: VerbCommandSpec): Command {
  const used = new Set(spec.verbs.flatMap((v) => v.options));
  return {
    name: spec.name,
    globals: ["json", "jsonl", "columns", "sandbox", "debug", "help"],
    synopsis: `<verb> ${spec.idArg} [amount]`,
    summary: spec.summary,
    description:
      `\n${verbsHelp(spec)}\n\n` +
      "Amounts are exact (digits and a dot: 1500.50). Writes show the request and ask \"Proceed? [y/N]\" on a terminal;\n" +
      `without one (a script, a pipe, --data @-) they need --yes. "mambu ${spec.name} <verb> --help" shows one verb.`,
    options: [...(Object.keys(OPTION_SPECS) as Array<VerbOption | "yes">).filter((o) => o === "yes" || used.has(o)).map((o) => OPTION_SPECS[o])],
    examples: spec.examples,
    moreHelp(positionals) {
      if (!positionals.length) return "";
      return verbHelp(spec, findVerb(spec, positionals[0]));
    },
    async run(ctx) {
      const { verb, input, ask } = await parseVerb(spec, ctx);
      const session = await ctx.session();
      const undo = ask ? confirmWrites(session.connector, { secrets: () => session.secrets() }) : undefined;
      try {
        const full: VerbInput = { ...input, ctx, session };
        if (verb.print) return await verb.print(full);
        const result = await verb.run!(full);
        printResult(ctx, result);
        return EXIT.OK;
      } catch (e) {
        if (e instanceof WriteCancelled) {
          ctx.out.stderr.write(`mambu: ${e.message}\n`);
          return EXIT.FAILURE;
        }
        throw e;
      } finally {
        undo?.();
      }
    },
  };
}

/** Prints a verb's result as the output format asks. */
export function printResult(ctx: CommandContext, result: VerbResult): void {
  const compact = stringifyExact(result.json);
  if (ctx.out.format === "jsonl") ctx.out.stdout.write(`${compact}\n`);
  else if (ctx.out.format === "json") ctx.out.stdout.write(`${prettyJson(compact)}\n`);
  else ctx.out.stdout.write(`${result.lines.join("\n")}\n`);
}
