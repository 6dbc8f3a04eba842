/**
 * `mambu payments listen [--port N] [--host H] [--path P] [--user U] [--password-file F | env MAMBU_CALLOUT_PASSWORD]
 * [--count N] [--xml]`: receives the Mambu Payment Gateway's callouts (pacs.008, camt.056, pacs.002 XML POSTed to
 * the tenant's callout URL) through `Payments.listenForCallouts`, and prints each message as it arrives — a readable
 * summary (IBANs masked), or with `--jsonl` one JSON line per message (every field, amounts exact; `--xml` adds the
 * document as received). Refused deliveries (bad credentials, malformed XML...) are reported on stderr.
 *
 * The callout's Basic password is never taken from the command line (visible in `ps`): from `--password-file`, env
 * `MAMBU_CALLOUT_PASSWORD`, or asked without echo on a terminal. It is never printed.
 */
import * as fs from "node:fs";
import { currencyDigits, Decimal } from "../core/money";
import { RawNumber, stringifyExact } from "../core/json";
import { DateTime } from "luxon";
import { listenForCallouts, maskIban } from "../entities/payments";
import type { CalloutMessage, CalloutRejection, Iso20022Amount, Iso20022Party } from "../entities/payments";
import { Secret } from "../transport";
import { positiveInt } from "./args";
import type { Command, CommandContext } from "./commands";
import { EXIT, UsageError } from "./exit";
import { prettyJson } from "./output";
import { HiddenInput, readHidden } from "./secret-prompt";

const CMD = "payments";

/** Environment variable holding the callout's Basic password. */
export const CALLOUT_PASSWORD_ENV = "MAMBU_CALLOUT_PASSWORD";
/** Environment variable holding the callout's Basic user (when `--user` is not given). */
export const CALLOUT_USER_ENV = "MAMBU_CALLOUT_USER";
/** Largest password file read. */
const MAX_PASSWORD_FILE = 64 * 1024;

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === "string" ? v : undefined;
}

/** The password in a file: its first line, without the line break. @throws UsageError naming the file (never its content). */
function readPasswordFile(path: string, warn: (line: string) => void): string {
  let text: string;
  try {
    const st = fs.statSync(path);
    if (!st.isFile()) throw new UsageError(`--password-file ${path}: not a regular file`, CMD);
    if (st.size > MAX_PASSWORD_FILE) throw new UsageError(`--password-file ${path}: more than ${MAX_PASSWORD_FILE} bytes, not a password file`, CMD);
    if ((st.mode & 0o077) !== 0 && process.platform !== "win32") {
      warn(`mambu: --password-file ${path} is readable by group or others (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
    }
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--password-file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? "error"})`, CMD);
  }
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/)[0];
  if (!first) throw new UsageError(`--password-file ${path}: the first line is empty`, CMD);
  return first;
}

/** The callout's credentials: undefined with `--no-auth`. */
async function credentials(ctx: CommandContext): Promise<{ username: string; password: Secret } | undefined> {
  const user = str(ctx, "user") ?? process.env[CALLOUT_USER_ENV];
  const file = str(ctx, "password-file");
  if (ctx.args.options["no-auth"]) {
    if (user !== undefined || file !== undefined) throw new UsageError("--no-auth takes no --user or --password-file", CMD);
    return undefined;
  }
  if (!user) throw new UsageError(`give the callout's Basic user: --user USER (or env ${CALLOUT_USER_ENV}); --no-auth accepts callouts without credentials`, CMD);
  const warn = (l: string): void => void ctx.out.stderr.write(`${l}\n`);
  if (file !== undefined) return { username: user, password: new Secret(readPasswordFile(file, warn), "callout password") };
  const env = process.env[CALLOUT_PASSWORD_ENV];
  if (env !== undefined && env !== "") return { username: user, password: new Secret(env, "callout password") };
  const input = process.stdin as unknown as HiddenInput;
  if (!input.isTTY) throw new UsageError(`payments listen needs the callout's password: --password-file FILE or env ${CALLOUT_PASSWORD_ENV} (no terminal to ask on)`, CMD);
  const typed = await readHidden(`Password of callout user ${user} (not shown): `, input, ctx.out.stderr);
  if (!typed) throw new UsageError("no password given", CMD);
  return { username: user, password: new Secret(typed, "callout password") };
}

function isAmount(v: unknown): v is Iso20022Amount {
  return v !== null && typeof v === "object" && Decimal.isDecimal((v as { value?: unknown }).value) && typeof (v as { currency?: unknown }).currency === "string";
}

/** A message as JSON: amounts as exact numbers, times as ISO text, the XML only when asked for. */
export function calloutJson(m: CalloutMessage, withXml: boolean): unknown {
  const conv = (v: unknown): unknown => {
    if (Decimal.isDecimal(v)) return new RawNumber((v as Decimal).toFixed());
    if (isAmount(v)) return { value: new RawNumber(amountText(v)), currency: v.currency };
    if (DateTime.isDateTime(v)) return v.toISO();
    if (Array.isArray(v)) return v.map(conv);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = conv(x);
      return out;
    }
    return v;
  };
  const { xml, ...rest } = m;
  return conv(withXml ? { ...rest, xml } : rest);
}

/** An amount with its currency's decimals at least (`1500.00 EUR`), never fewer digits than it has. */
const amountText = (a: Iso20022Amount): string => a.value.toFixed(Math.max(currencyDigits(a.currency), a.value.decimalPlaces()));
const money = (a: Iso20022Amount | undefined): string => (a ? `${amountText(a)} ${a.currency}` : "?");
const who = (p: Iso20022Party): string => [p.name ?? "?", p.iban ? maskIban(p.iban) : undefined, p.bic ? `(${p.bic})` : undefined].filter(Boolean).join(" ");

/** The readable summary of a message: a line for the message, one per transaction. */
export function calloutSummary(m: CalloutMessage): string[] {
  const at = m.creationDateTime.toISO({ suppressMilliseconds: true });
  if (m.kind === "pacs.008") {
    return [
      `pacs.008 ${m.messageId} ${at}: ${m.transfers.length} credit transfer${m.transfers.length === 1 ? "" : "s"}${m.totalAmount ? `, ${money(m.totalAmount)}` : ""}`,
      ...m.transfers.map((t) => `  ${t.endToEndId}  ${money(t.amount)}  ${who(t.debtor)} → ${who(t.creditor)}${t.remittanceInformation ? `  "${t.remittanceInformation}"` : t.creditorReference ? `  ref ${t.creditorReference}` : ""}`),
    ];
  }
  if (m.kind === "camt.056") {
    return [
      `camt.056 ${m.messageId} ${at}: cancellation request for ${m.cancellations.length} transaction${m.cancellations.length === 1 ? "" : "s"}`,
      ...m.cancellations.map((c) => `  ${c.originalEndToEndId ?? c.originalTransactionId} of ${c.originalMessageId ?? "?"}  ${money(c.originalAmount)}  reason ${c.reason.code ?? c.reason.proprietary ?? "?"}${c.reason.additionalInformation.length ? ` "${c.reason.additionalInformation.join(" ")}"` : ""}`),
    ];
  }
  return [
    `pacs.002 ${m.messageId} ${at}: status of ${m.originalMessageId}${m.groupStatus ? ` ${m.groupStatus}` : ""}${m.groupReason?.code ? ` (${m.groupReason.code})` : ""}`,
    ...m.transactions.map((t) => `  ${t.originalEndToEndId ?? t.originalTransactionId ?? "?"}  ${t.status ?? "?"}${t.reason?.code ? ` (${t.reason.code})` : ""}${t.originalAmount ? `  ${money(t.originalAmount)}` : ""}`),
  ];
}

async function listen(ctx: CommandContext): Promise<number> {
  const portText = str(ctx, "port");
  const port = portText === undefined ? 0 : positiveInt("port", portText, CMD, 0)!;
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`, CMD);
  const count = positiveInt("count", str(ctx, "count"), CMD);
  const path = str(ctx, "path");
  if (path !== undefined && !/^\/[\w./~-]*$/.test(path)) throw new UsageError('--path must start with "/" (e.g. /callouts)', CMD);
  const host = str(ctx, "host") ?? "127.0.0.1";
  const withXml = !!ctx.args.options.xml;
  if (withXml && ctx.out.format === "table") throw new UsageError("--xml goes with --json or --jsonl", CMD);
  const creds = await credentials(ctx);
  const out = ctx.out;
  let seen = 0;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const print = (m: CalloutMessage): void => {
    if (out.format === "table") out.stdout.write(`${calloutSummary(m).join("\n")}\n`);
    else {
      const compact = stringifyExact(calloutJson(m, withXml));
      out.stdout.write(`${out.format === "json" ? prettyJson(compact) : compact}\n`);
    }
    if (count !== undefined && ++seen >= count) stop();
  };
  const listener = await listenForCallouts({
    port,
    host,
    ...(path !== undefined ? { path } : {}),
    ...(creds ? { username: creds.username, password: creds.password } : { allowUnauthenticated: true }),
    onMessage: (m) => {
      if (count !== undefined && seen >= count) throw new Error("enough messages received");
      print(m);
    },
    onRejected: (r: CalloutRejection) => void out.stderr.write(`mambu: refused a callout${r.messageId ? ` (Message-Id ${r.messageId})` : ""}: ${r.status} ${r.reason}\n`),
  });
  // the handlers first: whoever reads the line below may signal at once
  const onSignal = (): void => stop();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  out.stderr.write(
    `mambu: listening for Payments API callouts on ${listener.url} (${creds ? `Basic auth, user ${creds.username}` : "no authentication"}); ${count !== undefined ? `stops after ${count} message${count === 1 ? "" : "s"} or ` : ""}Ctrl-C stops\n`,
  );
  try {
    await stopped;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await listener.close();
  }
  return EXIT.OK;
}

/** `mambu payments listen`. */
export const paymentsCommand: Command = {
  name: CMD,
  globals: ["json", "jsonl", "help"],
  synopsis: "listen [--port N]",
  summary: "Receive the Payment Gateway's callouts (pacs.008, camt.056, pacs.002 XML) and print each message.",
  description:
    "Listens on http://HOST:PORT (127.0.0.1 unless --host) for the ISO 20022 messages the Mambu Payment Gateway\n" +
    "POSTs to the callout URL configured for the tenant; each is checked (Basic credentials, Content-Type,\n" +
    "Message-Type, Message-Id, size, well-formed XML without DOCTYPE, counts and totals) and printed: a summary\n" +
    "per message (IBANs masked), or with --jsonl one JSON line per message (every field, amounts exact). A refused\n" +
    "delivery is answered 4xx and reported on stderr. The password is never an argument: --password-file FILE,\n" +
    `env ${CALLOUT_PASSWORD_ENV}, or asked without echo on a terminal. Ctrl-C (or --count N messages) stops.`,
  options: [
    { name: "port", kind: "value", arg: "N", help: "port to listen on (default: a free one, shown on stderr)" },
    { name: "host", kind: "value", arg: "HOST", help: "interface to listen on (default 127.0.0.1; 0.0.0.0 for other machines)" },
    { name: "path", kind: "value", arg: "PATH", help: "serve only this path, e.g. /callouts (default: any)" },
    { name: "user", kind: "value", arg: "USER", help: `the callout's Basic user (else env ${CALLOUT_USER_ENV})` },
    { name: "password-file", kind: "value", arg: "FILE", help: `the callout's Basic password, first line of FILE (else env ${CALLOUT_PASSWORD_ENV}, else asked)` },
    { name: "no-auth", kind: "flag", help: "accept callouts without credentials (a gateway configured without them)" },
    { name: "count", kind: "value", arg: "N", help: "stop after N messages" },
    { name: "xml", kind: "flag", help: "with --json/--jsonl: add each message's XML document as received" },
    { name: "password", kind: "value", arg: "VALUE", help: "refused: a password on the command line is visible in ps; use --password-file" },
  ],
  examples: [
    "mambu payments listen --port 8443 --user gateway --password-file ~/.callout-password --jsonl >> callouts.jsonl",
    "mambu payments listen --port 8443 --user gateway        # the password from env MAMBU_CALLOUT_PASSWORD, else asked",
    "mambu payments listen --no-auth --count 1 --jsonl --xml",
  ],
  async run(ctx) {
    const [sub, ...extra] = ctx.args.positionals;
    if (ctx.args.options.password !== undefined) throw new UsageError("--password is refused (visible in ps and shell history): use --password-file FILE or env " + CALLOUT_PASSWORD_ENV, CMD);
    if (sub !== "listen") throw new UsageError(sub === undefined ? "which subcommand? mambu payments listen" : `unknown subcommand "${sub}"; mambu payments listen`, CMD);
    if (extra.length) throw new UsageError(`too many arguments: ${extra.join(" ")}`, CMD);
    return listen(ctx);
  },
};
