/**
 * `mambu apikey`: rotate the configured API key, and manage API consumers' keys.
 *
 *   mambu apikey rotate [--api-key-file F] [--secret-key-file F] [--ttl S] (--out FILE [--force] | --show-secret) [--update-rc [PATH]] [--yes]
 *   mambu apikey list <consumerId>
 *   mambu apikey create <consumerId> [--ttl S] (--out FILE [--force] | --show-secret) [--yes]
 *   mambu apikey delete <consumerId> <keyId> [--yes]
 *   mambu apikey secret <consumerId> (--out FILE [--force] | --show-secret) [--yes]
 *
 * Credentials never come from the command line (every user of the machine sees it in `ps`, and the shell keeps
 * it): the key to rotate is the configured `apikey` or `--api-key-file`; the secret key comes from
 * `--secret-key-file`, env `MAMBU_SECRET_KEY` or a prompt without echo. A new key is shown by Mambu once, so
 * where it goes is settled — and checked — before Mambu is called: `--out FILE` (JSON, mode 600, see
 * ./secret-output.ts), `--show-secret` (stdout), and for a rotation also `--update-rc` (the new API key replaces
 * the old in `~/.mambupy.rc`). If storing fails after Mambu made the keys, they are printed once on stderr with
 * a loud warning, and the exit code is 1.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { mambuconfig } from "../config";
import { planRcUpdate, RcUpdateResult, updateRcKey } from "../config/rc-update";
import { MAX_API_KEY_EXPIRATION, rotateApiKey } from "../core/apikey-rotation";
import { MambuApiConsumer } from "../entities/api-consumer";
import type { ApiKeyInfo } from "../entities/api-consumer";
import { MambuCommError } from "../errors";
import { knownSecrets, Secret } from "../transport";
import type { OptionSpec } from "./args";
import type { Command, CommandContext } from "./commands";
import { maskUrl } from "./configview";
import { askYesNo, mustAsk, processIO } from "./confirm";
import { describeError, EXIT, exitCodeOf, UsageError } from "./exit";
import { checkOutPath, emergencyLines, KeyFile, readKeyFile, writeKeyFile } from "./secret-output";
import { HiddenInput, readHidden } from "./secret-prompt";
import { renderTable } from "./table";

const CMD = "apikey";

/** The environment variable read for the secret key of a rotation. */
export const SECRET_KEY_ENV = "MAMBU_SECRET_KEY";

const OPTIONS: OptionSpec[] = [
  { name: "api-key-file", kind: "value", arg: "FILE", help: "rotate: the API key to rotate, from FILE (default: the configured apikey)" },
  { name: "secret-key-file", kind: "value", arg: "FILE", help: `rotate: the secret key, from FILE (else env ${SECRET_KEY_ENV}, else asked without echo)` },
  { name: "ttl", kind: "value", arg: "SECONDS", help: `rotate, create: time to live of the new API key, 0 to ${MAX_API_KEY_EXPIRATION} seconds` },
  { name: "out", kind: "value", arg: "FILE", help: "write the new key(s) to FILE: JSON, mode 600, a new file (see below)" },
  { name: "force", kind: "flag", help: "with --out: replace FILE if it exists (atomically)" },
  { name: "show-secret", kind: "flag", help: "print the new key(s) on stdout" },
  { name: "update-rc", kind: "flag", arg: "[PATH]", help: "rotate: put the new API key in the rc file PATH (default ~/.mambupy.rc), in place" },
  { name: "yes", kind: "flag", help: "do it without asking (needed without a terminal)" },
  { name: "secret-key", kind: "value", arg: "VALUE", help: "refused: a key on the command line is visible in ps; use --secret-key-file" },
  { name: "api-key", kind: "value", arg: "VALUE", help: "refused: a key on the command line is visible in ps; use --api-key-file" },
];

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === "string" ? v : undefined;
}

/** `--secret-key VALUE` / `--api-key VALUE`: refused, saying why (the value is never repeated). */
function refuseCommandLineKeys(ctx: CommandContext): void {
  for (const [option, file] of [["secret-key", "--secret-key-file FILE"], ["api-key", "--api-key-file FILE"]] as const) {
    if (ctx.args.options[option] === undefined) continue;
    throw new UsageError(
      `--${option} is refused: a key given on the command line is visible to every user of this machine (ps, /proc) and stays in ` +
        `your shell history; give ${file}${option === "secret-key" ? `, set ${SECRET_KEY_ENV}, or type it when asked (no echo)` : ""}` +
        " — and consider the key typed here compromised",
      CMD,
    );
  }
}

/** `--ttl`, checked. */
function ttlOf(ctx: CommandContext): number | undefined {
  const v = str(ctx, "ttl");
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > MAX_API_KEY_EXPIRATION) throw new UsageError(`--ttl must be a whole number of seconds from 0 to ${MAX_API_KEY_EXPIRATION}, got ${JSON.stringify(v)}`, CMD);
  return Number(v);
}

/** Where new keys go, checked before Mambu is called. */
interface Outputs {
  out?: string;
  force: boolean;
  show: boolean;
  rc?: { path: string; plan: RcUpdateResult };
}

/**
 * `--out`, `--force`, `--show-secret` (and `--update-rc` for a rotation), checked: one output that keeps the
 * new secret is required, `--out` must be writable and new (or `--force`), the rc file must be one we may edit.
 */
function outputsOf(ctx: CommandContext, verb: string, rcPath: string | undefined, keeps: string): Outputs {
  const out = str(ctx, "out");
  const force = !!ctx.args.options.force;
  const show = !!ctx.args.options["show-secret"];
  if (force && out === undefined) throw new UsageError("--force applies to --out FILE only", CMD);
  if (out === undefined && !show) {
    throw new UsageError(
      `apikey ${verb} needs somewhere to keep ${keeps}: Mambu shows ${keeps.startsWith("the new API key and") ? "them" : "it"} only once` +
        `${verb === "rotate" ? ", and the old keys stop working at the rotation" : ""}. Give --out FILE (JSON, mode 600) or --show-secret` +
        `${verb === "rotate" ? " (--update-rc keeps only the new API key)" : ""}`,
      CMD,
    );
  }
  if (out !== undefined) checkOutPath(out, force, CMD);
  let rc: Outputs["rc"];
  if (rcPath !== undefined) {
    if (out !== undefined && resolve(out) === resolve(rcPath)) throw new UsageError("--out and --update-rc name the same file; give two files", CMD);
    rc = { path: rcPath, plan: planRcUpdate(rcPath, "apikey") };
  }
  return { out, force, show, rc };
}

/** `--update-rc [PATH]`: the path given right after it in the arguments, else ~/.mambupy.rc; undefined without it. */
function rcPathOf(ctx: CommandContext, rest: readonly string[], positionals: string[]): string | undefined {
  if (!ctx.args.options["update-rc"]) return undefined;
  const at = rest.indexOf("--update-rc");
  const next = at >= 0 ? rest[at + 1] : undefined;
  if (next !== undefined && !next.startsWith("-")) {
    const i = positionals.indexOf(next);
    if (i >= 0) {
      positionals.splice(i, 1);
      return next;
    }
  }
  return join(homedir(), ".mambupy.rc");
}

/**
 * A key as `apikey list` shows it: as Mambu listed it when that is already masked (`abcd****`), else `****` and
 * its last 4 characters when it is long enough that they give nothing away, else `****` — never the whole key.
 */
export function maskedKey(value: string | undefined): string {
  if (!value) return "";
  if (value.includes("*")) return value;
  return value.length >= 16 ? `****${value.slice(-4)}` : "****";
}

/** The where of a confirmation line. */
function baseUrl(): string {
  try {
    return maskUrl(mambuconfig.apiurl);
  } catch {
    return "(no apiurl configured)";
  }
}

/** The lines saying where the new keys go. */
function outputLines(o: Outputs, what: string, rcWhat = "the new API key"): string[] {
  const lines: string[] = [];
  if (o.out !== undefined) lines.push(`  ${what} → ${o.out} (JSON, mode 600, ${o.force ? "replaced if it exists" : "a new file"})`);
  if (o.rc) {
    const p = o.rc.plan;
    const where = p.action === "replaced" ? `apikey of [${p.section}], line ${p.line}, replaced in place` : p.action === "added" ? `apikey added to [${p.section}]` : "a new file with [API] apikey";
    lines.push(`  ${rcWhat} → ${o.rc.path} (${where})`);
  }
  if (o.show) lines.push(`  ${what} → printed on stdout (--show-secret)`);
  return lines;
}

/**
 * Shows what will happen and asks `Proceed? [y/N]` (on a terminal; `--yes` skips it). Resolves to false when the
 * answer is no.
 */
async function confirm(ctx: CommandContext, ask: boolean, lines: string[]): Promise<boolean> {
  if (!ask) return true;
  const io = processIO();
  io.prompt.write(`mambu will:\n${lines.join("\n")}\n`);
  if (await askYesNo("Proceed? [y/N] ", io)) return true;
  ctx.out.stderr.write("mambu: cancelled, nothing sent\n");
  return false;
}

/** Whether to ask: settled (and `--yes` required without a terminal) before anything else happens. */
function mustConfirm(ctx: CommandContext, what: string, where: string): boolean {
  return mustAsk({ command: CMD, what, where, yes: !!ctx.args.options.yes });
}

/** The secret key of a rotation: `--secret-key-file`, env, or asked without echo on a terminal. */
async function secretKeyOf(ctx: CommandContext): Promise<Secret | undefined> {
  const file = str(ctx, "secret-key-file");
  // Wrapped at once: a Secret's value is known to the process, so no output (error, REPL history) shows it.
  if (file !== undefined) return new Secret(readKeyFile(file, "secretKey", "--secret-key-file", CMD, (l) => void ctx.out.stderr.write(`${l}\n`)), "secret key");
  const env = process.env[SECRET_KEY_ENV];
  if (env !== undefined && env.trim() !== "") return new Secret(env.trim(), "secret key");
  const input = process.stdin as unknown as HiddenInput;
  if (!input.isTTY) {
    throw new UsageError(`apikey rotate needs the secret key: give --secret-key-file FILE or set ${SECRET_KEY_ENV} (no terminal to ask on)`, CMD);
  }
  const typed = (await readHidden("Secret key (not shown): ", input, ctx.out.stderr))?.trim();
  return typed ? new Secret(typed, "secret key") : undefined;
}

/** The key to rotate and where it comes from. */
function apiKeyToRotate(ctx: CommandContext): { value: Secret; from: string; configured?: string } {
  const file = str(ctx, "api-key-file");
  if (file !== undefined) {
    return { value: new Secret(readKeyFile(file, "apiKey", "--api-key-file", CMD, (l) => void ctx.out.stderr.write(`${l}\n`)), "API key"), from: `--api-key-file ${file}` };
  }
  const found = mambuconfig.lookup("apikey");
  if (!found || found.value === "") {
    throw new UsageError("no API key to rotate: configure apikey ([API] apikey in ~/.mambupy.rc, or MAMBU_API_KEY) or give --api-key-file FILE", CMD);
  }
  return { value: new Secret(found.value, "API key"), from: `the configured apikey (${found.source})`, configured: found.source };
}

/** Where the configured apikey comes from, when it is `key`. */
function configuredKeyIs(key: Secret): { source: string } | undefined {
  try {
    const found = mambuconfig.lookup("apikey");
    return found && key.equals(found.value) ? { source: found.source } : undefined;
  } catch {
    return undefined;
  }
}

function printLines(ctx: CommandContext, lines: string[], json: Record<string, unknown>): void {
  if (ctx.out.format === "table") ctx.out.stdout.write(`${lines.join("\n")}\n`);
  else ctx.out.stdout.write(`${JSON.stringify(json, null, ctx.out.format === "json" ? 2 : undefined)}\n`);
}

/**
 * Stores new keys where `o` says, prints what was written where, and — when the keys would otherwise be lost —
 * prints them once on stderr. Resolves to the exit code.
 */
function deliver(ctx: CommandContext, o: Outputs, file: KeyFile, what: string, done: string[], json: Record<string, unknown>): number {
  const failures: string[] = [];
  let kept = false;
  if (o.out !== undefined) {
    try {
      writeKeyFile(o.out, file, o.force);
      kept = true;
      done.push(`Wrote ${what} to ${o.out} (JSON, mode 600).`);
      json.out = o.out;
    } catch (e) {
      failures.push(`writing ${o.out} failed (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (o.rc && file.apiKey !== undefined) {
    try {
      const r = updateRcKey(o.rc.path, "apikey", file.apiKey);
      done.push(`Updated apikey in [${r.section}] of ${r.path} (line ${r.line}${r.action === "replaced" ? "" : `, ${r.action}`}).`);
      json.rcFile = { path: r.path, line: r.line, action: r.action };
    } catch (e) {
      failures.push(`updating ${o.rc.path} failed (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const shown: Array<[string, string]> = [];
  if (file.apiKey !== undefined) shown.push(["apikey", file.apiKey]);
  if (file.secretKey !== undefined) shown.push(["secretkey", file.secretKey]);
  if (o.show) {
    kept = true;
    if (ctx.out.format === "table") done.push(...shown.map(([k, v]) => `${k} = ${v}`));
    else for (const [k, v] of shown) json[k === "apikey" ? "apiKey" : "secretKey"] = v;
  }
  printLines(ctx, done, json);
  if (!failures.length) return EXIT.OK;
  if (!kept) ctx.out.stderr.write(emergencyLines(done[0].replace(/\.$/, ""), failures.join("; "), shown));
  else ctx.out.stderr.write(`mambu: ${failures.join("; ")}; ${o.show ? "the new keys were printed above" : `the new keys are in ${o.out}`}\n`);
  return EXIT.FAILURE;
}

async function rotate(ctx: CommandContext, args: string[], rcPath: string | undefined): Promise<number> {
  if (args.length) throw new UsageError(`apikey rotate takes no arguments (got ${args.join(" ")}); the key to rotate is the configured apikey or --api-key-file FILE`, CMD);
  const outputs = outputsOf(ctx, "rotate", rcPath, "the new API key and secret key");
  const ttl = ttlOf(ctx);
  const s = await ctx.session();
  const key = apiKeyToRotate(ctx);
  const ask = mustConfirm(ctx, "apikey rotate", "POST /apikey/rotation");
  const secretKey = await secretKeyOf(ctx);
  if (!secretKey) {
    ctx.out.stderr.write("mambu: cancelled, nothing sent\n");
    return EXIT.FAILURE;
  }
  const plan = [
    `  rotate ${key.from} at ${baseUrl()}: POST /apikey/rotation${ttl !== undefined ? `, time to live ${ttl} s` : ""}`,
    "  the old API key and secret key stop working at once",
    ...outputLines(outputs, "the new API key and secret key"),
  ];
  if (!(await confirm(ctx, ask, plan))) return EXIT.FAILURE;
  const rotated = await rotateApiKey({ apiKey: key.value, secretKey, ...(ttl !== undefined ? { expirationTime: ttl } : {}), connector: s.connector });
  const file: KeyFile = {
    by: "mambu apikey rotate",
    createdAt: new Date().toISOString(),
    apiurl: baseUrl(),
    ...(ttl !== undefined ? { expirationTime: ttl } : {}),
    apiKey: rotated.apiKey.reveal(),
    secretKey: rotated.secretKey.reveal(),
  };
  const done = [`Rotated ${key.from}: the old API key and secret key no longer work.`];
  const json: Record<string, unknown> = { rotated: true };
  const code = deliver(ctx, outputs, file, "the new API key and secret key", done, json);
  // The configuration still naming the rotated key (and not just updated) would fail from now on: say where it is.
  const configured = key.configured !== undefined ? { source: key.configured } : configuredKeyIs(key.value);
  if (configured && !(outputs.rc && configured.source === `file ${resolve(outputs.rc.path)}`) && !(outputs.rc && configured.source === `file ${outputs.rc.path}`)) {
    ctx.out.stderr.write(`mambu: note: ${configured.source} still holds the old API key, which no longer works: put the new one there\n`);
  }
  return code;
}

/** A consumer by id, read through the session. */
async function consumer(ctx: CommandContext, id: string | undefined, usage: string): Promise<MambuApiConsumer> {
  if (!id) throw new UsageError(`which API consumer? ${usage}`, CMD);
  const s = await ctx.session();
  return MambuApiConsumer.get(id, { connector: s.connector });
}

function tooMany(args: string[], n: number, usage: string): void {
  if (args.length > n) throw new UsageError(`too many arguments: ${args.slice(n).join(" ")} (${usage})`, CMD);
}

async function list(ctx: CommandContext, args: string[]): Promise<number> {
  const usage = "mambu apikey list <consumerId>";
  tooMany(args, 1, usage);
  for (const o of ["out", "show-secret", "force", "yes", "ttl"]) if (ctx.args.options[o] !== undefined) throw new UsageError(`--${o} does not apply to apikey list (it only reads)`, CMD);
  const c = await consumer(ctx, args[0], usage);
  const keys: ApiKeyInfo[] = await c.apiKeys();
  const rows = keys.map((k) => ({ id: k.id, expirationTime: k.expirationTime, apiKey: maskedKey(k.apiKey?.reveal()) }));
  if (ctx.out.format === "table") {
    ctx.out.stdout.write(`${renderTable(rows, [
      { header: "id", value: (r) => r.id },
      { header: "expirationTime", value: (r) => r.expirationTime ?? "", align: "right" },
      { header: "apiKey", value: (r) => r.apiKey },
    ], { width: ctx.out.width })}\n`);
  } else if (ctx.out.format === "json") ctx.out.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else for (const r of rows) ctx.out.stdout.write(`${JSON.stringify(r)}\n`);
  return EXIT.OK;
}

async function create(ctx: CommandContext, args: string[]): Promise<number> {
  const usage = "mambu apikey create <consumerId> [--ttl S] (--out FILE | --show-secret) [--yes]";
  tooMany(args, 1, usage);
  if (!args[0]) throw new UsageError(`which API consumer? ${usage}`, CMD);
  const outputs = outputsOf(ctx, "create", undefined, "the new API key");
  const ttl = ttlOf(ctx);
  const ask = mustConfirm(ctx, "apikey create", `POST /consumers/${args[0]}/apikeys`);
  const c = await consumer(ctx, args[0], usage);
  const plan = [`  create an API key for API consumer ${c.id} at ${baseUrl()}: POST /consumers/${c.id}/apikeys${ttl !== undefined ? `, time to live ${ttl} s` : ""}`, ...outputLines(outputs, "the new API key")];
  if (!(await confirm(ctx, ask, plan))) return EXIT.FAILURE;
  const made = await c.createApiKey(ttl !== undefined ? { expirationTime: ttl } : {});
  const file: KeyFile = {
    by: "mambu apikey create",
    createdAt: new Date().toISOString(),
    apiurl: baseUrl(),
    consumerId: String(c.id),
    apiKeyId: made.id,
    ...(made.expirationTime !== undefined ? { expirationTime: made.expirationTime } : {}),
    apiKey: made.apiKey.reveal(),
  };
  const json: Record<string, unknown> = { consumerId: c.id, apiKeyId: made.id, ...(made.expirationTime !== undefined ? { expirationTime: made.expirationTime } : {}) };
  return deliver(ctx, outputs, file, "the new API key", [`Created API key ${made.id} for API consumer ${c.id}.`], json);
}

async function secret(ctx: CommandContext, args: string[]): Promise<number> {
  const usage = "mambu apikey secret <consumerId> (--out FILE | --show-secret) [--yes]";
  tooMany(args, 1, usage);
  if (!args[0]) throw new UsageError(`which API consumer? ${usage}`, CMD);
  if (ctx.args.options.ttl !== undefined) throw new UsageError("--ttl does not apply to apikey secret (a secret key has no time to live)", CMD);
  const outputs = outputsOf(ctx, "secret", undefined, "the new secret key");
  const ask = mustConfirm(ctx, "apikey secret", `POST /consumers/${args[0]}/secretkeys`);
  const c = await consumer(ctx, args[0], usage);
  const plan = [`  create a secret key for API consumer ${c.id} at ${baseUrl()}: POST /consumers/${c.id}/secretkeys`, ...outputLines(outputs, "the new secret key")];
  if (!(await confirm(ctx, ask, plan))) return EXIT.FAILURE;
  const made: Secret = await c.createSecretKey();
  const file: KeyFile = { by: "mambu apikey secret", createdAt: new Date().toISOString(), apiurl: baseUrl(), consumerId: String(c.id), secretKey: made.reveal() };
  return deliver(ctx, outputs, file, "the new secret key", [`Created a secret key for API consumer ${c.id}.`], { consumerId: c.id });
}

async function remove(ctx: CommandContext, args: string[]): Promise<number> {
  const usage = "mambu apikey delete <consumerId> <keyId> [--yes]";
  tooMany(args, 2, usage);
  for (const o of ["out", "show-secret", "force", "ttl"]) if (ctx.args.options[o] !== undefined) throw new UsageError(`--${o} does not apply to apikey delete`, CMD);
  if (!args[1]) throw new UsageError(`which key? ${usage} (mambu apikey list <consumerId> shows the ids)`, CMD);
  const ask = mustConfirm(ctx, "apikey delete", `DELETE /consumers/${args[0]}/apikeys/${args[1]}`);
  const c = await consumer(ctx, args[0], usage);
  const plan = [`  delete API key ${args[1]} of API consumer ${c.id} at ${baseUrl()}: DELETE /consumers/${c.id}/apikeys/${args[1]}`, "  the key stops working at once"];
  if (!(await confirm(ctx, ask, plan))) return EXIT.FAILURE;
  await c.deleteApiKey(args[1]);
  printLines(ctx, [`Deleted API key ${args[1]} of API consumer ${c.id}.`], { deleted: true, consumerId: c.id, apiKeyId: args[1] });
  return EXIT.OK;
}

const VERBS: Record<string, (ctx: CommandContext, args: string[], rc: string | undefined) => Promise<number>> = {
  rotate,
  list,
  create,
  delete: remove,
  secret,
};

/** `mambu apikey`. */
export const apikeyCommand: Command = {
  name: "apikey",
  globals: ["json", "jsonl", "sandbox", "debug", "help"],
  synopsis: "<verb> [consumerId] [keyId]",
  summary: "Rotate the configured API key (rotate); list, create and delete API consumers' keys; create secret keys.",

  description: [
    "",
    "Verbs:",
    "  rotate                          Rotate the configured apikey (or --api-key-file): Mambu answers a new API key and",
    "                                  secret key, and the old ones stop working at once.",
    "  list <consumerId>               A consumer's API keys: id, time to live, the key masked (never shown whole).",
    "  create <consumerId>             Create an API key for a consumer (--ttl: time to live).",
    "  delete <consumerId> <keyId>     Delete an API key: it stops working at once.",
    "  secret <consumerId>             Create a secret key for a consumer (it authorises rotate).",
    "",
    "Keys never come from the command line (visible in ps): the secret key of rotate is read from --secret-key-file,",
    `env ${SECRET_KEY_ENV}, or asked without echo on a terminal. Mambu shows a new key once, so rotate, create and`,
    "secret need --out FILE or --show-secret, checked before Mambu is called; rotate --update-rc also puts the new",
    "API key in the rc file, in place (other lines kept, atomically). --out writes JSON of mode 600:",
    '  { "by": "mambu apikey rotate", "createdAt": "...", "apiurl": "...", "apiKey": "...", "secretKey": "..." }',
    "which --api-key-file and --secret-key-file read back (as well as a file holding the key alone). If storing fails",
    "after Mambu made the keys, they are printed once on stderr with a warning (exit code 1): copy them at once.",
    "Writes show what will happen and ask \"Proceed? [y/N]\" on a terminal; without one they need --yes.",
  ].join("\n"),
  options: OPTIONS,
  examples: [
    "mambu apikey rotate --out ~/mambu-keys.json --update-rc            # secret key asked, no echo",
    "mambu apikey rotate --secret-key-file ~/mambu-keys.json --out ~/mambu-keys.json --force --update-rc --yes",
    "mambu apikey list payments-gateway",
    "mambu apikey create payments-gateway --ttl 2592000 --out gateway-key.json",
    "mambu apikey secret payments-gateway --out gateway-secret.json",
    "mambu apikey delete payments-gateway 8a19cde07a0a1f3d017a0b0c1d2e0001 --yes",
  ],
  async run(ctx, rest) {
    refuseCommandLineKeys(ctx);
    const [verb, ...args] = ctx.args.positionals;
    const run = verb === undefined ? undefined : Object.prototype.hasOwnProperty.call(VERBS, verb) ? VERBS[verb] : undefined;
    if (!run) throw new UsageError(`${verb === undefined ? "which verb?" : `unknown verb "${verb}";`} give one of: ${Object.keys(VERBS).join(", ")}`, CMD);
    const rcPath = rcPathOf(ctx, rest, args);
    if (rcPath !== undefined && verb !== "rotate") throw new UsageError(`--update-rc applies to apikey rotate only`, CMD);
    for (const o of ["api-key-file", "secret-key-file"]) if (ctx.args.options[o] !== undefined && verb !== "rotate") throw new UsageError(`--${o} applies to apikey rotate only`, CMD);
    try {
      return await run(ctx, args, rcPath);
    } catch (e) {
      // Masked again here: the keys read or made by this command (Secrets) are not among the session's secrets.
      ctx.out.stderr.write(`${describeError(e, { debug: ctx.debug, secrets: knownSecrets() })}\n`);
      if (verb === "rotate" && e instanceof MambuCommError) {
        // The answer may be what was lost: Mambu may have rotated, and only its answer held the new pair.
        ctx.out.stderr.write(
          "mambu: the rotation may have happened without its answer arriving: check whether the old API key still works\n" +
            "mambu: (mambu list branches --limit 1); if it no longer does, an administrator must create a new API key and\n" +
            "mambu: secret key for the consumer (mambu apikey create <consumerId>, mambu apikey secret <consumerId>)\n",
        );
      }
      return exitCodeOf(e);
    }
  },
};
