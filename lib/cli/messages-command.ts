/**
 * `mambu messages list|resend`: the tenant's communication log (the e-mails, text messages and webhooks Mambu sent
 * or failed to send) and the resend of failed messages, over `MambuCommunicationMessage`.
 *
 * - `list [--failed] [--client ID] [--since DATE] [--type TYPE]` prints the messages found as a table (or JSON with
 *   `--json`/`--jsonl`), page by page. Destinations and bodies are personal data: they are shown masked
 *   (`+52•••••1234`, `j•••@example.com`; subject and body as their length) unless `--show-personal`.
 * - `resend <key...>` or `resend --failed [--since DATE] [--type TYPE] [--client ID] [--limit N]` asks Mambu to send
 *   messages again, in batches of at most 1000. A write: on a terminal it says how many and asks "Resend ...? [y/N]";
 *   without one it needs `--yes` (checked before any request).
 */
import { MambuClient } from "../entities/client";
import {
  createdSinceCriterion, Criterion, MambuCommunicationMessage, MAX_RESEND_BATCH, withoutPersonalData,
} from "../entities/communication-message";
import type { CommunicationMessageType } from "../entities/communication-message";
import { definition } from "../contract/schema";
import type { MambuList } from "../core/list";
import { positiveInt } from "./args";
import type { Command, CommandContext } from "./commands";
import { askYesNo, mustAsk, processIO } from "./confirm";
import { EXIT, UsageError } from "./exit";
import { printPages, prettyJson } from "./output";
import type { Session } from "./session";
import { parseDate } from "./verbs";

const NAME = "messages";

/** The table's columns: what a person checks first in a communication log. */
export const MESSAGE_COLUMNS: readonly string[] = ["encodedKey", "creationDate", "type", "event", "state", "destination", "failureReason", "numRetries"];

/** Options of each action (checked: an option of the other action is a usage error). */
const ACTION_OPTIONS: Readonly<Record<"list" | "resend", readonly string[]>> = {
  list: ["failed", "client", "since", "type", "limit", "offset", "show-personal"],
  resend: ["failed", "client", "since", "type", "limit", "yes"],
};
const ALL_OPTIONS = ["failed", "client", "since", "type", "limit", "offset", "show-personal", "yes"];

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === "string" ? v : undefined;
}

function checkOptions(ctx: CommandContext, action: "list" | "resend"): void {
  for (const o of ALL_OPTIONS) {
    if (ctx.args.options[o] !== undefined && !ACTION_OPTIONS[action].includes(o)) throw new UsageError(`--${o} does not apply to messages ${action}`, NAME);
  }
}

/** `--type`, upper-cased and checked against the contract's types. */
function typeOption(ctx: CommandContext): CommunicationMessageType | undefined {
  const t = str(ctx, "type");
  if (t === undefined) return undefined;
  const types = definition("communications_messages", "CommunicationMessage").fields.type?.enum ?? [];
  const up = t.toUpperCase();
  if (!types.includes(up)) throw new UsageError(`--type ${t}: expected one of ${types.join(", ")}`, NAME);
  return up as CommunicationMessageType;
}

/** The search criteria of `--failed`, `--client`, `--since`, `--type` (the client is read to get its key). */
async function criteriaOf(ctx: CommandContext, session: Session, failedOnly: boolean): Promise<Criterion[]> {
  const out: Criterion[] = [];
  if (failedOnly) out.push({ field: "state", operator: "EQUALS", value: "FAILED" });
  const since = str(ctx, "since");
  if (since !== undefined) out.push(createdSinceCriterion(parseDate(since, NAME), session.connector, "--since"));
  const type = typeOption(ctx);
  if (type !== undefined) out.push({ field: "type", operator: "EQUALS", value: type });
  const client = str(ctx, "client");
  if (client !== undefined) {
    if (client.trim() === "") throw new UsageError("--client needs a client id or encodedKey", NAME);
    const c = await MambuClient.get(client, { connector: session.connector });
    out.push({ field: "clientKey", operator: "EQUALS", value: String(c.encodedKey) });
  }
  return out;
}

/** Checks what can be checked before the session opens (dates, types, numbers). */
function precheck(ctx: CommandContext): { limit?: number; offset?: number } {
  const since = str(ctx, "since");
  if (since !== undefined) parseDate(since, NAME);
  typeOption(ctx);
  return { limit: positiveInt("limit", str(ctx, "limit"), NAME), offset: positiveInt("offset", str(ctx, "offset"), NAME, 0) };
}

async function list(ctx: CommandContext): Promise<number> {
  checkOptions(ctx, "list");
  const extra = ctx.args.positionals.slice(1);
  if (extra.length) throw new UsageError(`too many arguments: ${extra.join(" ")} (mambu messages list takes options only)`, NAME);
  const { limit, offset } = precheck(ctx);
  const session = await ctx.session();
  const criteria = await criteriaOf(ctx, session, !!ctx.args.options.failed);
  const showProgress = ctx.out.progress ?? !!ctx.out.stderr.isTTY;
  const listing = MambuCommunicationMessage.search({
    filterCriteria: criteria as never,
    limit,
    offset,
    ...(showProgress ? { paginationDetails: "ON" as const } : {}),
    connector: session.connector,
  }) as MambuList<MambuCommunicationMessage>;
  const personal = !!ctx.args.options["show-personal"];
  const pages: AsyncIterable<unknown[]> = {
    async *[Symbol.asyncIterator]() {
      for await (const page of listing.byPage()) yield personal ? page : page.map(withoutPersonalData);
    },
  };
  await printPages(pages, { ...ctx.out, itemsTotal: () => listing.total }, () => MESSAGE_COLUMNS, "messages");
  return EXIT.OK;
}

/** The keys of `resend <key...>`, checked (each once). */
function keyArgs(ctx: CommandContext): string[] {
  const keys = ctx.args.positionals.slice(1);
  for (const k of keys) {
    if (k.trim() === "" || /\s/.test(k) || k.length > 64) throw new UsageError(`${JSON.stringify(k)} is not a message encodedKey`, NAME);
  }
  return [...new Set(keys)];
}

function plural(n: number): string {
  return `${n} message${n === 1 ? "" : "s"}`;
}

async function resend(ctx: CommandContext): Promise<number> {
  checkOptions(ctx, "resend");
  const failed = !!ctx.args.options.failed;
  const given = keyArgs(ctx);
  if (failed === (given.length > 0)) {
    throw new UsageError(failed ? "give either message keys or --failed, not both" : "which messages? mambu messages resend <key...> or mambu messages resend --failed", NAME);
  }
  if (!failed) {
    for (const o of ["client", "since", "type", "limit"]) if (ctx.args.options[o] !== undefined) throw new UsageError(`--${o} applies to resend --failed only`, NAME);
  }
  const { limit } = precheck(ctx);
  const io = processIO();
  // Whether to ask is settled before any request: without a terminal a resend needs --yes.
  const ask = mustAsk({ command: NAME, what: "messages resend", where: "POST /communications/messages:resend", yes: !!ctx.args.options.yes }, io);
  const session = await ctx.session();
  let keys = given;
  if (failed) {
    const criteria = await criteriaOf(ctx, session, true);
    const found = new Set<string>();
    for await (const m of MambuCommunicationMessage.search({ filterCriteria: criteria as never, limit, connector: session.connector })) {
      if (typeof m.encodedKey === "string" && m.encodedKey !== "") found.add(m.encodedKey);
    }
    keys = [...found];
    if (keys.length === 0) {
      printResult(ctx, 0, [], "No failed messages to resend.");
      return EXIT.OK;
    }
  }
  if (ask && !(await askYesNo(`Resend ${plural(keys.length)}${failed ? " that failed" : ""}? [y/N] `, io))) {
    ctx.out.stderr.write("mambu: cancelled, nothing sent\n");
    return EXIT.FAILURE;
  }
  let done = 0;
  try {
    await MambuCommunicationMessage.resend(keys, {
      connector: session.connector,
      onBatch: (_batch, soFar) => {
        done = soFar;
        if (keys.length > MAX_RESEND_BATCH) ctx.out.stderr.write(`mambu: resent ${soFar} of ${keys.length}\n`);
      },
    });
  } catch (e) {
    if (done > 0) ctx.out.stderr.write(`mambu: ${plural(done)} of ${keys.length} were resent before Mambu refused a batch\n`);
    throw e;
  }
  printResult(ctx, keys.length, keys, `Resent ${plural(keys.length)}.`);
  return EXIT.OK;
}

function printResult(ctx: CommandContext, resent: number, keys: readonly string[], line: string): void {
  const doc = JSON.stringify({ resent, messages: keys });
  if (ctx.out.format === "jsonl") ctx.out.stdout.write(`${doc}\n`);
  else if (ctx.out.format === "json") ctx.out.stdout.write(`${prettyJson(doc)}\n`);
  else ctx.out.stdout.write(`${line}\n`);
}

/** `mambu messages`. */
export const messagesCommand: Command = {
  name: NAME,
  globals: ["json", "jsonl", "columns", "sandbox", "progress", "debug", "help"],
  synopsis: "list|resend [key...]",
  summary: "The communication log: list messages (masked), resend failed ones.",
  description:
    "list: the messages found (--failed: only FAILED ones; --client, --since, --type narrow it), page by page.\n" +
    "Destinations are shown masked (+52•••••1234, j•••@example.com) and subjects and bodies as their length,\n" +
    "in tables and JSON alike, unless --show-personal. resend: the messages named, or every FAILED one found with\n" +
    `--failed, in batches of at most ${MAX_RESEND_BATCH}; Mambu resends only FAILED messages. On a terminal it asks\n` +
    '"Resend N messages? [y/N]"; without one it needs --yes.',
  options: [
    { name: "failed", kind: "flag", help: "only FAILED messages (list), or resend every FAILED one found" },
    { name: "client", kind: "value", arg: "ID", help: "only messages to this client (id or encodedKey)" },
    { name: "since", kind: "value", arg: "DATE", help: "only messages created since: YYYY-MM-DD (that day on) or an ISO date-time with offset" },
    { name: "type", kind: "value", arg: "TYPE", help: "only messages of this type: EMAIL, SMS, WEB_HOOK, ..." },
    { name: "limit", kind: "value", arg: "N", help: "at most N messages (default: every one found)" },
    { name: "offset", kind: "value", arg: "N", help: "list: skip the first N messages" },
    { name: "show-personal", kind: "flag", help: "list: show destinations, subjects and bodies as Mambu has them" },
    { name: "yes", kind: "flag", short: "y", help: "resend without asking (required without a terminal)" },
  ],
  examples: [
    "mambu messages list --failed --since 2026-12-01",
    "mambu messages list --client 0512N0025 --json",
    "mambu messages resend 8a19a2b37c9f3e01017c9f5d2a1b0042",
    "mambu messages resend --failed --type SMS --since 2026-12-01 --yes",
  ],
  async run(ctx) {
    const action = ctx.args.positionals[0];
    if (action === "list") return list(ctx);
    if (action === "resend") return resend(ctx);
    throw new UsageError(action ? `unknown action "${action}": list or resend` : "list or resend? mambu messages list --failed", NAME);
  },
};
