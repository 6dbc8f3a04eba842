/**
 * `mambu call <resource>.<operationId> [path params...] [--data JSON|@file|@-] [--query k=v ...] [--yes]`:
 * any operation of the contract, with the configured credentials (or `--sandbox`), through the same
 * caller as `api.<resource>.<operationId>` (checked against the contract before anything is sent).
 * The Services API (`/v1`) and the Payments API (`/api/v1`) are reached the same way with their prefix:
 * `mambu call services.cards.getCardBalance C1`, `mambu call payments.sepaCreditTransfers.getPaymentDetails P1`
 * (the same caller as `services.cards.getCardBalance` and `payments.sepaCreditTransfers.getPaymentDetails`).
 * Prints the answer as JSON, numbers exactly as the server sent them; credentials in it (the `Secret`s of
 * a new API key or secret key) as `****`, with one line on stderr saying so, unless `--show-secret`.
 * Writes (POST, PUT, PATCH, DELETE) ask for confirmation on a terminal; without one they need `--yes`
 * (./confirm.ts).
 */
import { resource as resourceSpec, resourceNames, schemaOf } from "../contract/schema";
import type { ApiName, FieldSpec, OperationSpec } from "../contract/schema";
import { callOperation, isJsonMedia, operationSpec } from "../core/call";
import { parseJsonExact, stringifyExact } from "../core/json";
import type { Command, CommandContext } from "./commands";
import { MambuTsError } from "../errors";
import { isSecret } from "../transport";
import { confirmWrites, mustAsk, WriteCancelled } from "./confirm";
import { readData, readsStdin } from "./data-arg";
import { EXIT, UsageError } from "./exit";
import { prettyJson } from "./output";
import { connectionFor } from "./api-entities";

const NAME = "call";

/** The APIs besides v2 that `mambu call` reaches, by the prefix the user types (`services.`, `payments.`). */
const PREFIXED_APIS: readonly ApiName[] = ["services", "payments"];

/** The resource names of an API's contract, sorted. */
function apiResourceNames(api: ApiName): string[] {
  return api === "v2" ? resourceNames() : Object.keys(schemaOf(api).resources).sort();
}

/** The resource's name in the contract from what the user typed (`loans`, or the identifier `configuration__branches_yaml`). */
function resolveResource(typed: string, api: ApiName): string {
  const names = apiResourceNames(api);
  const found = names.find((n) => n === typed) ?? names.find((n) => n.replace(/[^A-Za-z0-9_$]/g, "_") === typed);
  if (!found) {
    const where = api === "v2" ? "" : ` of the ${api === "services" ? "Services" : "Payments"} API (${names.map((n) => `${api}.${n}`).join(", ")})`;
    throw new UsageError(`unknown resource "${api === "v2" ? "" : `${api}.`}${typed}"${where}; run mambu call --help for the list`, NAME);
  }
  return found;
}

/** One operation as `mambu call` names it: its API, resource, operationId, spec and the label typed (`services.cards.getCardBalance`). */
interface Target {
  api: ApiName;
  resource: string;
  operationId: string;
  op: OperationSpec;
  label: string;
}

/** `loans.writeOff`, `services.cards.getCardBalance`, `payments.standingOrders.cancelStandingOrder` → the contract's API, resource name, operationId and spec. */
function target(word: string | undefined): Target {
  if (!word) throw new UsageError("which operation? mambu call <resource>.<operationId> (mambu call --help lists them)", NAME);
  const api = PREFIXED_APIS.find((a) => word.startsWith(`${a}.`)) ?? "v2";
  const rest = api === "v2" ? word : word.slice(api.length + 1);
  const dot = rest.lastIndexOf(".");
  if (dot <= 0 || dot === rest.length - 1) {
    throw new UsageError(`expected ${api === "v2" ? "<resource>.<operationId>, e.g. loans.getById" : `${api}.<resource>.<operationId>, e.g. ${api === "services" ? "services.cards.getCardBalance" : "payments.sepaCreditTransfers.getPaymentDetails"}`}, got "${word}"`, NAME);
  }
  const resource = resolveResource(rest.slice(0, dot), api);
  const operationId = rest.slice(dot + 1);
  try {
    const op = operationSpec(resource, operationId, api);
    return { api, resource, operationId, op, label: `${api === "v2" ? "" : `${api}.`}${resource}.${operationId}` };
  } catch (e) {
    if (e instanceof MambuTsError) throw new UsageError(e.message, NAME); // names the resource's operations
    throw e;
  }
}

/** An operation's path as shown: API v2's as in its contract (under /api), the others' with their base path (`/v1/cards/...`). */
function shownPath(api: ApiName, path: string): string {
  return api === "v2" ? path : `${schemaOf(api).basePath}${path}`;
}

function typeText(spec: FieldSpec | { type: string; enum?: string[]; items?: FieldSpec; ref?: string }): string {
  if (spec.enum && spec.enum.length) return spec.enum.length > 12 ? `one of ${spec.enum.length} values` : spec.enum.join("|");
  if (spec.type === "array") return `${typeText(spec.items ?? { type: "any" })}[] (repeat the key)`;
  if (spec.ref) return spec.ref;
  return spec.type;
}

function responseText(op: OperationSpec): string {
  if (!isJsonMedia(op.produces)) return op.produces!.join(", ");
  for (const st of ["200", "201", ...Object.keys(op.responses).filter((s) => /^2/.test(s)).sort()]) {
    const r = op.responses[st];
    if (r) return r.type === "array" ? `${typeText(r.items ?? { type: "any" })}[]` : typeText(r);
  }
  return "nothing (empty answer)";
}

/** `mambu call loans.writeOff --help`: the operation's parameters, from the contract (of API v2 unless `api` says otherwise). */
export function operationHelp(resource: string, operationId: string, op: OperationSpec, api: ApiName = "v2"): string {
  const label = `${api === "v2" ? "" : `${api}.`}${resource}.${operationId}`;
  const lines = [
    "",
    `${label}: ${op.method} ${shownPath(api, op.path)}`,
    `  mambu call ${label}${op.pathParams.map((p) => ` <${p}>`).join("")}${op.body || op.formData ? " --data JSON|@file" : ""}${op.method === "GET" ? "" : " --yes"}`,
    "",
    op.pathParams.length ? `Path parameters (in order): ${op.pathParams.join(", ")}` : "Path parameters: none",
  ];
  if (op.query.length) {
    lines.push("Query parameters (--query key=value):");
    for (const q of op.query) lines.push(`  ${q.name}${q.required ? " (required)" : ""}: ${typeText(q)}`);
  } else lines.push("Query parameters: none");
  if (op.formData) lines.push(`Body: multipart/form-data (${op.formData.map((f) => f.name).join(", ")}): not supported by mambu call`);
  else if (op.body) {
    const media = isJsonMedia(op.consumes) ? "" : ` (${op.consumes!.join(", ")} text)`;
    lines.push(`Body (--data)${op.bodyRequired ? ", required" : ""}: ${typeText(op.body)}${media}`);
    const defs = resourceSpec(resource, api).definitions;
    const def = op.body.ref && Object.prototype.hasOwnProperty.call(defs, op.body.ref) ? defs[op.body.ref] : undefined;
    if (def && !def.items) {
      for (const f of Object.keys(def.fields)) {
        if (!def.fields[f].readOnly) lines.push(`  ${f}${def.required.includes(f) ? " (required)" : ""}: ${typeText(def.fields[f])}`);
      }
    }
  } else lines.push("Body: none");
  lines.push(`Answer: ${responseText(op)}`, "");
  return lines.join("\n");
}

/** The rows of `mambu call --help` for one API: `[name as typed, "METHOD path"]`. */
function operationRows(api: ApiName): string[][] {
  const prefix = api === "v2" ? "" : `${api}.`;
  return apiResourceNames(api).flatMap((r) =>
    resourceSpec(r, api).operations.filter((op) => op.operationId).map((op) => [`${prefix}${r}.${op.operationId}`, `${op.method} ${shownPath(api, op.path)}`]),
  );
}

/** `mambu call --help`: every operation of the three APIs (API v2, then the Services API and the Payments API with their prefixes). */
export function operationsList(): string {
  const sections: Array<[string | undefined, string[][]]> = [
    [undefined, operationRows("v2")],
    ["Services API (under /v1; services.<resource>.<operationId>)", operationRows("services")],
    ["Payments API (under /api/v1, API key only; payments.<resource>.<operationId>)", operationRows("payments")],
  ];
  const all = sections.flatMap(([, rows]) => rows);
  const w = Math.max(...all.map(([name]) => name.length));
  const lines = ["", `Operations (${all.length}; resource.operationId  METHOD path):`];
  for (const [title, rows] of sections) {
    if (title) lines.push("", `${title}, ${rows.length}:`);
    lines.push(...rows.map(([name, where]) => `  ${name.padEnd(w)}  ${where}`));
  }
  lines.push("");
  return lines.join("\n");
}

/** `--query k=v` values: repeated keys become lists. */
function queryOf(items: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--query ${JSON.stringify(item)}: expected key=value, e.g. --query detailsLevel=FULL`, NAME);
    const k = item.slice(0, eq);
    const v = item.slice(eq + 1);
    const prev = out[k];
    out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return out;
}

/** `--data`'s text (JSON, @file or @- for stdin) as the body: JSON with numbers kept exactly; YAML operations take the text as it is. */
function dataOf(raw: string | undefined, op: OperationSpec): unknown {
  if (raw === undefined) return undefined;
  if (!isJsonMedia(op.consumes) && !op.formData) return raw;
  try {
    return parseJsonExact(raw);
  } catch (e) {
    throw new UsageError(`--data is not valid JSON: ${(e as Error).message}`, NAME);
  }
}

/** Whether `v` is a JSON object of the answer (not a Secret, a RawNumber or another class). */
function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The labels of the credentials (`Secret`s) in an answer, in order; with `reveal`, each is replaced in place by its
 * value (for `--show-secret`).
 */
export function answerSecrets(answer: unknown, reveal: boolean): string[] {
  const labels: string[] = [];
  const visit = (v: unknown): unknown => {
    if (isSecret(v)) {
      labels.push(v.label);
      return reveal ? v.reveal() : v;
    }
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = visit(v[i]);
    else if (isRecord(v)) for (const k of Object.keys(v)) v[k] = visit(v[k]);
    return v;
  };
  visit(answer);
  return labels;
}

/** The stderr line of an answer whose credentials were printed as `****` (their labels, never a value). */
function hiddenNote(labels: string[]): string {
  const kinds = [...new Set(labels)].join(", ");
  const n = labels.length;
  return `mambu: ${n} credential${n === 1 ? "" : "s"} in the answer (${kinds}) printed as ****; add --show-secret to print ${n === 1 ? "it" : "them"} (Mambu shows a new key only once)\n`;
}

/** `mambu call`. */
export const callCommand: Command = {
  name: NAME,
  globals: ["json", "jsonl", "sandbox", "debug", "help"],
  synopsis: "<resource>.<operationId> [ids...]",
  summary: "Call any operation of the API (from the contract), printing Mambu's JSON answer.",
  description:
    "The ids are the operation's path parameters, in order. The Services API (/v1) and the Payments API (/api/v1)\n" +
    "are reached with their prefix: services.<resource>.<operationId>, payments.<resource>.<operationId> (the\n" +
    "Payments API takes an API key only: MAMBU_API_KEY; with --sandbox, the sandbox's demo key). Query parameters,\n" +
    "the body and its fields are checked\n" +
    "against the contract before anything is sent. Writes (POST, PUT, PATCH, DELETE) show what will be sent and ask\n" +
    "\"Proceed? [y/N]\" on a terminal; without one (a script, a pipe, --data @-) they need --yes. Output: JSON\n" +
    "(--jsonl: on one line), numbers exactly as Mambu sent them; credentials in it (a new API key, a secret key)\n" +
    "as **** unless --show-secret (stderr says so). " +
    '"mambu call <resource>.<operationId> --help" lists an operation\'s parameters.',
  options: [
    { name: "data", kind: "value", arg: "JSON|@file|@-", help: "the request body (JSON text, @file to read it from a file, @- from stdin)" },
    { name: "query", kind: "list", arg: "key=value", help: "a query parameter (repeatable; repeat a key for a list)" },
    { name: "yes", kind: "flag", short: "y", help: "do not ask for confirmation of a write" },
    { name: "show-secret", kind: "flag", help: "print the credentials of the answer (a new API key, a secret key) instead of ****" },
  ],
  examples: [
    "mambu call loans.getById 54321 --query detailsLevel=FULL",
    'mambu call loans.writeOff 54321 --data \'{"notes":"uncollectable"}\' --yes',
    "mambu call clients.getAll --query limit=5 --jsonl",
    "mambu call loans.changeState --help",
    "mambu call services.cards.getCardBalance C1",
    "mambu call services.currencies.listCurrencies --query page_size=10",
    "mambu call payments.sepaCreditTransfers.getPaymentDetails 3f1c0d2e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  ],
  moreHelp(positionals) {
    if (!positionals.length) return operationsList();
    const t = target(positionals[0]);
    return operationHelp(t.resource, t.operationId, t.op, t.api);
  },
  async run(ctx: CommandContext) {
    const [word, ...ids] = ctx.args.positionals;
    const { api, resource, operationId, op, label } = target(word);
    if (ids.length > op.pathParams.length) {
      throw new UsageError(
        `${label} takes ${op.pathParams.length ? `${op.pathParams.length} path parameter(s) (${op.pathParams.join(", ")})` : "no path parameters"}, got ${ids.length}`,
        NAME,
      );
    }
    if (ids.length < op.pathParams.length) {
      throw new UsageError(`${label} needs ${op.pathParams.slice(ids.length).map((p) => `<${p}>`).join(" ")} (${op.method} ${shownPath(api, op.path)})`, NAME);
    }
    if (op.formData) throw new UsageError(`${label} takes a multipart upload: use api.${resource}.${operationId} from code`, NAME);
    const opts = ctx.args.options;
    const dataArg = typeof opts.data === "string" ? opts.data : undefined;
    const query = queryOf(Array.isArray(opts.query) ? opts.query : []);
    const path = Object.fromEntries(op.pathParams.map((p, i) => [p, ids[i]]));
    const where = `${op.method} ${shownPath(api, op.path).replace(/\{([^}]+)\}/g, (_m, n: string) => String(path[n]))}`;
    const ask = op.method !== "GET" && mustAsk({ command: NAME, what: label, where, yes: !!opts.yes, bodyFromStdin: readsStdin(dataArg) });
    const body = dataOf(await readData(dataArg, NAME), op);
    const s = await ctx.session();
    // The Payments API takes an API key only: with --sandbox, the embedded sandbox's demo key (./api-entities.ts).
    const conn = await connectionFor(api, s);
    const undo = ask ? confirmWrites(conn.connector, { secrets: () => s.secrets() }) : undefined;
    let answer: unknown;
    try {
      answer = await callOperation(resource, operationId, { ...(api === "v2" ? {} : { api }), path, query, body, connector: conn.connector });
    } catch (e) {
      if (!(e instanceof WriteCancelled)) throw e;
      ctx.out.stderr.write(`mambu: ${e.message}\n`);
      return EXIT.FAILURE;
    } finally {
      undo?.();
      conn.close();
    }
    if (answer === undefined) return EXIT.OK;
    if (Buffer.isBuffer(answer)) ctx.out.stdout.write(answer);
    else if (typeof answer === "string" && !isJsonMedia(op.produces)) ctx.out.stdout.write(answer);
    else {
      const show = !!opts["show-secret"];
      const hidden = answerSecrets(answer, show);
      if (hidden.length && !show) ctx.out.stderr.write(hiddenNote(hidden));
      const compact = stringifyExact(answer);
      ctx.out.stdout.write(`${ctx.out.format === "jsonl" ? compact : prettyJson(compact)}\n`);
    }
    return EXIT.OK;
  },
};
