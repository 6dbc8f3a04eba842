/**
 * The commands of `mambu`: what each takes, its help with examples, and what it does.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MambuEntity } from "../core/entity";
import type { EntityClass } from "../core/entity";
import type { MambuList } from "../core/list";
import { definition } from "../contract/schema";
import { OptionSpec, ParsedArgs, positiveInt } from "./args";
import { DEFAULT_COLUMNS, guessColumns, LOAN_TRANSACTION_COLUMNS } from "./columns";
import { configEntries, configTable } from "./configview";
import { CliEntity, displayName, entities, findEntity } from "./entities";
import { EXIT, exitCodeOf, UsageError } from "./exit";
import { OutputOptions, printPages, printRecord } from "./output";
import type { Session } from "./session";
import { sandboxMain, sandboxUsage } from "./sandbox-command";
import { renderTable } from "./table";
import { parseWhere } from "./where";
import { typesCommand } from "./types-command";
import { callCommand } from "./call-command";
import { depositCommand } from "./deposit-command";
import { loanCommand, printLoanSchedule } from "./loan-command";
import { configAsCodeCommand } from "./config-as-code-command";
import { messagesCommand } from "./messages-command";
import { bulkCommand, importCommand } from "./import-command";
import { apikeyCommand } from "./apikey-command";
import { backupCommand } from "./backup-command";
import { dbCommand } from "./db-command";
import { apiEntityRows, getApiEntity, isApiEntityName, listApiEntity } from "./api-entities";
import { paymentsCommand } from "./payments-listen-command";

/** What a command gets to run. */
export interface CommandContext {
  args: ParsedArgs;
  out: OutputOptions;
  /** Opens (once) the connection: configuration, or the embedded sandbox with `--sandbox`. */
  session(): Promise<Session>;
  /** Whether `--sandbox` was given. */
  sandbox: boolean;
  debug: boolean;
}

/** A command of `mambu`. */
export interface Command {
  name: string;
  /** Positional arguments as shown in usage, e.g. `<entity> <id>`. */
  synopsis: string;
  summary: string;
  /** More lines of help (after the summary). */
  description?: string;
  options: OptionSpec[];
  examples: string[];
  /** The global options that apply (names; default: every one). */
  globals?: string[];
  /** The remaining arguments go to another program (sandbox, migrate), unparsed. */
  passThrough?: boolean;
  /**
   * More help appended to `--help`: the program the command delegates to, or details of what the
   * positionals name (`mambu call loans.writeOff --help`).
   */
  moreHelp?(positionals: readonly string[]): string;
  /** Runs the command; resolves to the exit code. */
  run(ctx: CommandContext, rest: string[]): Promise<number>;
}

/**
 * `{ detailsLevel: "FULL" }` with `--full`, else nothing: an entity whose reads take no detailsLevel (an API consumer)
 * is then read without the option rather than refused.
 */
function fullDetails(ctx: CommandContext): { detailsLevel?: "FULL" } {
  return ctx.args.options.full ? { detailsLevel: "FULL" } : {};
}

const FULL: OptionSpec = { name: "full", kind: "flag", help: "detailsLevel FULL: custom fields and every detail" };
const LIMIT: OptionSpec = { name: "limit", kind: "value", arg: "N", help: "at most N records (default: all of them, page by page)" };
const OFFSET: OptionSpec = { name: "offset", kind: "value", arg: "N", help: "skip the first N records" };

/** The entity and id positionals of a command. */
function positionals(ctx: CommandContext, command: string, names: string[]): string[] {
  const p = ctx.args.positionals;
  if (p.length > names.length) throw new UsageError(`too many arguments: ${p.slice(names.length).join(" ")}`, command);
  return p;
}

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === "string" ? v : undefined;
}

function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.args.options[name];
  return Array.isArray(v) ? v : [];
}

function columnsFor(e: CliEntity): (rows: readonly unknown[]) => readonly string[] {
  const defaults = DEFAULT_COLUMNS[e.name];
  return (rows) => defaults ?? guessColumns(rows);
}

/** Whether a progress line is shown (then lists ask Mambu for their total, `paginationDetails=ON`, to show it). */
function showsProgress(ctx: CommandContext): boolean {
  return ctx.out.progress ?? !!ctx.out.stderr.isTTY;
}

/** Streams a list's pages to the output (with progress), returning exit code 0. */
async function printList(ctx: CommandContext, listing: MambuList<unknown>, defaults: (rows: readonly unknown[]) => readonly string[], label: string): Promise<number> {
  await printPages(listing.byPage(), { ...ctx.out, itemsTotal: () => listing.total }, defaults, label);
  return EXIT.OK;
}

/** `key=value` of `--filter`. */
function parseFilter(text: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--filter ${JSON.stringify(text)}: expected key=value, e.g. --filter state=ACTIVE`, "list");
  return [text.slice(0, eq).trim(), text.slice(eq + 1)];
}

function sortFields(cls: EntityClass): readonly string[] {
  return cls.spec.sortBy ?? [];
}

const get: Command = {
  name: "get",
  synopsis: "<entity> <id>",
  summary: "Show one record by id or encodedKey.",
  description:
    "Prints every field (nested objects as dotted paths, custom fields as _Set.field with --full).\n" +
    "The Services API's and the Payments API's records are services.<name> and payments.<name> (mambu entities\n" +
    "lists them), their parents' ids before their own: mambu get services.indexrate <sourceId> <rateId>.",
  options: [FULL],
  examples: [
    "mambu get client 0512N0025",
    "mambu get client 0512N0025 --full --columns id,firstName,_OtherDetails.Age",
    "mambu get loan 54321 --json",
    "mambu get services.currency EUR",
    "mambu get services.exchangerate EUR <rateId>",
    "mambu get payments.payment <paymentId> --json",
  ],
  async run(ctx) {
    // The Services API's and the Payments API's records (./api-entities.ts).
    if (isApiEntityName(ctx.args.positionals[0])) return getApiEntity(ctx);
    const [name, id] = positionals(ctx, "get", ["entity", "id"]);
    const e = findEntity(name, "get");
    if (!id) throw new UsageError(`which ${e.name}? Give its id or encodedKey: mambu get ${e.name} <id>`, "get");
    const s = await ctx.session();
    const record = await e.cls.get(id, { ...fullDetails(ctx), connector: s.connector });
    printRecord(record, ctx.out);
    return EXIT.OK;
  },
};

const listCommand: Command = {
  name: "list",
  synopsis: "<entity>",
  summary: "List records, filtered and sorted as the API allows.",
  description:
    "Filters and sort fields are the entity's (MambuPy's lists; see mambu entities). Without --limit every\n" +
    "record is fetched, page by page; JSON and JSON lines are printed as pages arrive. The Services API's lists\n" +
    "(services.currencies, services.exchangerates <code>, services.holdconfigs, services.sources, ...) take\n" +
    "--filter field=value (or != < <= > >=; snake_case fields, joined by AND) and --sort field:ASC|DESC, checked\n" +
    "before any request; the Payments API's lists are payments.executions <standingOrderId> and\n" +
    "payments.identifications <accountId>.",
  options: [
    { name: "filter", kind: "list", arg: "key=value", help: "a filter of the API (repeatable), e.g. state=ACTIVE" },
    { name: "sort", kind: "list", arg: "field:ASC|DESC", help: "sort (repeatable, or comma-separated), e.g. creationDate:DESC" },
    LIMIT,
    OFFSET,
    FULL,
  ],
  examples: [
    "mambu list clients --filter state=ACTIVE --sort lastName:ASC --limit 20",
    "mambu list loans --filter accountState=ACTIVE_IN_ARREARS --columns id,loanAmount,daysInArrears",
    "mambu list loans --jsonl > loans.jsonl",
    "mambu list transactions --filter loanAccountId=54321",
    "mambu list services.currencies --sort code:DESC --limit 5",
    "mambu list services.exchangerates EUR --filter to_currency=USD",
    "mambu list payments.executions <standingOrderId> --jsonl",
  ],
  async run(ctx) {
    if (isApiEntityName(ctx.args.positionals[0])) return listApiEntity(ctx);
    const [name] = positionals(ctx, "list", ["entity"]);
    const e = findEntity(name, "list");
    const allowed = e.cls.spec.filters ?? [];
    const customGetAll = e.cls.getAll !== MambuEntity.getAll;
    const filters: Record<string, string> = {};
    const extra: Record<string, string> = {};
    for (const f of list(ctx, "filter")) {
      const [k, v] = parseFilter(f);
      if (allowed.includes(k)) filters[k] = v;
      else if (customGetAll) extra[k] = v;
      else {
        throw new UsageError(
          allowed.length ? `unknown filter ${k} for ${e.name}; filters: ${allowed.join(", ")}` : `${e.name} takes no filters (use mambu search ${e.name} --where ...)`,
          "list",
        );
      }
    }
    const sorts: string[] = [];
    for (const s of list(ctx, "sort").flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean)) {
      const [field, order = "ASC", more] = s.split(":");
      if (more !== undefined || !/^(ASC|DESC)$/i.test(order)) throw new UsageError(`--sort ${s}: expected field:ASC or field:DESC`, "list");
      if (!sortFields(e.cls).includes(field)) {
        throw new UsageError(sortFields(e.cls).length ? `${e.name} cannot be sorted by ${field}; sort fields: ${sortFields(e.cls).join(", ")}` : `${e.name} cannot be sorted`, "list");
      }
      sorts.push(`${field}:${order.toUpperCase()}`);
    }
    const limit = positiveInt("limit", str(ctx, "limit"), "list");
    const offset = positiveInt("offset", str(ctx, "offset"), "list", 0);
    const s = await ctx.session();
    const listing = e.cls.getAll({
      ...(Object.keys(filters).length ? { filters } : {}),
      ...(sorts.length ? { sortBy: sorts.join(",") } : {}),
      ...extra,
      limit,
      offset,
      ...(showsProgress(ctx) ? { paginationDetails: "ON" as const } : {}),
      ...fullDetails(ctx),
      connector: s.connector,
    });
    return printList(ctx, listing as MambuList<unknown>, columnsFor(e), plural(e));
  },
};

function plural(e: CliEntity): string {
  return e.names[1] ?? e.name;
}

const search: Command = {
  name: "search",
  synopsis: "<entity>",
  summary: "Search records with Mambu's filter criteria (POST /{entity}:search).",
  description:
    'Each --where is "field OPERATOR value"; every criterion must match. Operators: EQUALS (=), DIFFERENT_THAN (!=),\n' +
    "MORE_THAN (>), LESS_THAN (<), BETWEEN a AND b, IN a,b,c, STARTS_WITH, ON, AFTER, BEFORE, TODAY, THIS_MONTH,\n" +
    "LAST_DAYS n, EMPTY, NOT_EMPTY, ... (the entity's list is checked). Custom fields: _Set.field. Values may be quoted.",
  options: [
    { name: "where", kind: "list", arg: '"field OP value"', help: "a criterion (repeatable)" },
    { name: "sort", kind: "value", arg: "field:ASC|DESC", help: "sort by one field" },
    LIMIT,
    OFFSET,
    FULL,
  ],
  examples: [
    'mambu search loans --where "accountState IN ACTIVE, ACTIVE_IN_ARREARS" --where "loanAmount MORE_THAN 1000"',
    "mambu search clients --where \"lastName STARTS_WITH 'Gar'\" --sort lastName:ASC --limit 10",
    'mambu search clients --where "_OtherDetails.Age BETWEEN 30 AND 50" --json',
  ],
  async run(ctx) {
    const [name] = positionals(ctx, "search", ["entity"]);
    if (isApiEntityName(name)) {
      throw new UsageError(
        /^payments\./i.test(name)
          ? `${name}: the Payments API's searches take a body: mambu call payments.standingOrders.searchStandingOrders --data JSON (or payments.externalAccountIdentifications.searchAccountIdentifications)`
          : `${name}: the Services API has no search; its lists filter: mambu list ${name} --filter field=value`,
        "search",
      );
    }
    const e = findEntity(name, "search");
    const spec = e.cls.spec.search;
    if (!spec) throw new UsageError(`${e.name} is not searchable; use mambu list ${e.name}`, "search");
    const operators = definition(e.cls.resource, spec.filterDefinition).fields.operator?.enum ?? undefined;
    const criteria = list(ctx, "where").map((w) => parseWhere(w, operators, "search"));
    let sortingCriteria: { field: string; order: "ASC" | "DESC" } | undefined;
    const sort = str(ctx, "sort");
    if (sort !== undefined) {
      const m = /^([^:\s]+)(?::(ASC|DESC))?$/i.exec(sort.trim());
      if (!m) throw new UsageError(`--sort ${sort}: expected field:ASC or field:DESC`, "search");
      sortingCriteria = { field: m[1], order: (m[2] ?? "ASC").toUpperCase() as "ASC" | "DESC" };
    }
    const limit = positiveInt("limit", str(ctx, "limit"), "search");
    const offset = positiveInt("offset", str(ctx, "offset"), "search", 0);
    const s = await ctx.session();
    const listing = e.cls.search({
      filterCriteria: criteria,
      sortingCriteria,
      limit,
      offset,
      ...(showsProgress(ctx) ? { paginationDetails: "ON" as const } : {}),
      ...fullDetails(ctx),
      connector: s.connector,
    });
    return printList(ctx, listing as MambuList<unknown>, columnsFor(e), plural(e));
  },
};

function loanEntity(command: string): CliEntity {
  try {
    return findEntity("loan", command);
  } catch {
    throw new UsageError("this build of mambu-ts has no MambuLoan", command);
  }
}

const schedule: Command = {
  name: "schedule",
  synopsis: "<loanId>",
  summary: "Show a loan's repayment schedule (installments, amounts expected and paid).",
  options: [],
  examples: ["mambu schedule 54321", "mambu schedule 54321 --json", "mambu schedule 54321 --columns number,dueDate,state,principal.amount.due"],
  async run(ctx) {
    const [id] = positionals(ctx, "schedule", ["loanId"]);
    if (!id) throw new UsageError("which loan? mambu schedule <loanId>", "schedule");
    return printLoanSchedule(ctx, id);
  },
};

const transactions: Command = {
  name: "transactions",
  synopsis: "<loanId>",
  summary: "List a loan's transactions (disbursements, repayments, fees...).",
  options: [LIMIT, OFFSET, FULL],
  examples: ["mambu transactions 54321", "mambu transactions 54321 --jsonl", "mambu transactions 54321 --columns id,type,amount,notes"],
  async run(ctx) {
    const [id] = positionals(ctx, "transactions", ["loanId"]);
    if (!id) throw new UsageError("which loan? mambu transactions <loanId>", "transactions");
    const e = loanEntity("transactions");
    const limit = positiveInt("limit", str(ctx, "limit"), "transactions");
    const offset = positiveInt("offset", str(ctx, "offset"), "transactions", 0);
    const s = await ctx.session();
    const loan = (await e.cls.get(id, { connector: s.connector })) as MambuEntity & {
      getTransactions?: (o: { limit?: number; offset?: number; detailsLevel?: "FULL" }) => MambuList<unknown>;
    };
    if (typeof loan.getTransactions !== "function") throw new UsageError(`${e.cls.name} has no getTransactions()`, "transactions");
    const listing = loan.getTransactions({ limit, offset, ...(ctx.args.options.full ? { detailsLevel: "FULL" as const } : {}) });
    return printList(ctx, listing, () => LOAN_TRANSACTION_COLUMNS, "transactions");
  },
};

const config: Command = {
  name: "config",
  globals: ["json", "jsonl", "sandbox", "help"],
  synopsis: "",
  summary: "Show the effective configuration and where each value comes from (secrets masked).",
  description: "Sources, lowest priority first: default, /etc/mambupy.rc, ~/.mambupy.rc, environment (MAMBU_API_*), code (--sandbox).",
  options: [],
  examples: ["mambu config", "mambu config --json", "MAMBU_API_URL=tenant.sandbox.mambu.com mambu config"],
  async run(ctx) {
    positionals(ctx, "config", []);
    if (ctx.sandbox) await ctx.session();
    const rows = configEntries();
    if (ctx.out.format === "table") {
      ctx.out.stdout.write(`${configTable(undefined, ctx.out.width)}\n`);
    } else if (ctx.out.format === "json") {
      ctx.out.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      for (const r of rows) ctx.out.stdout.write(`${JSON.stringify(r)}\n`);
    }
    return EXIT.OK;
  },
};

const entitiesCommand: Command = {
  name: "entities",
  globals: ["json", "jsonl", "help"],
  synopsis: "",
  summary: "List the entity names this command knows, with their filters and sort fields.",
  options: [],
  examples: ["mambu entities", "mambu entities --json"],
  async run(ctx) {
    positionals(ctx, "entities", []);
    const rows = entities().map((e) => ({
      entity: displayName(e),
      class: e.cls.name,
      search: e.cls.spec.search ? "yes" : "no",
      filters: (e.cls.spec.filters ?? []).join(","),
      sort: (e.cls.spec.sortBy ?? []).join(","),
    })).concat(apiEntityRows());
    if (ctx.out.format === "table") {
      ctx.out.stdout.write(`${renderTable(rows, [
        { header: "entity", value: (r) => r.entity },
        { header: "class", value: (r) => r.class },
        { header: "search", value: (r) => r.search },
        { header: "filters", value: (r) => r.filters },
        { header: "sort", value: (r) => r.sort },
      ], { width: ctx.out.width })}\n`);
    } else if (ctx.out.format === "json") ctx.out.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else for (const r of rows) ctx.out.stdout.write(`${JSON.stringify(r)}\n`);
    return EXIT.OK;
  },
};

const repl: Command = {
  name: "repl",
  globals: ["sandbox", "debug", "help"],
  synopsis: "",
  summary: "Start an interactive shell with every entity, mambuconfig, Decimal and DateTime loaded.",
  description:
    "Top-level await works; history is kept in ~/.mambu_repl_history (env MAMBU_REPL_HISTORY; empty: none).\n" +
    "A script piped in (mambu repl < script) runs line by line; when a line throws, the exit code says so\n" +
    "(3 Mambu error, 4 communication error, 1 anything else).\n" +
    "Inside: .help (what is loaded, examples), .config (configuration and sources, secrets masked), .exit.\n" +
    "Node users can also run: node -i -r mambu-ts/repl",
  options: [],
  examples: ["mambu repl", "mambu repl --sandbox", "MAMBU_API_URL=tenant.sandbox.mambu.com mambu repl"],
  async run(ctx) {
    positionals(ctx, "repl", []);
    const s = await ctx.session();
    const { startRepl } = await import("./repl");
    // A script piped in (`mambu repl < script`) fails when one of its lines throws: the exit code is that of
    // the first error (3 Mambu, 4 communication, 1 anything else), though later lines still run.
    const scripted = !process.stdin.isTTY;
    let failure: { error: unknown } | undefined;
    const server = startRepl({ sandboxUrl: s.sandbox?.url, onError: (error) => void (failure ??= { error }) });
    await new Promise<void>((resolve) => server.on("exit", () => resolve()));
    return scripted && failure ? exitCodeOf(failure.error) : EXIT.OK;
  },
};

/** The `--help` output of one of the package's executables (empty when it cannot run). */
function binHelp(name: string): string {
  const bin = join(__dirname, "..", "..", "bin", name);
  if (!existsSync(bin)) return "";
  const r = spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8", timeout: 20_000 });
  return r.status === 0 && r.stdout ? `\n${name} --help:\n\n${r.stdout}` : "";
}

const sandbox: Command = {
  name: "sandbox",
  globals: ["help"],
  synopsis: "[options]",
  summary: "Run the embedded Mambu sandbox until Ctrl-C (the same as mambu-sandbox).",
  options: [],
  passThrough: true,
  moreHelp: () => `\nmambu-sandbox --help:\n\n${sandboxUsage()}`,
  examples: [
    "mambu sandbox                      # http://127.0.0.1:7070, demo tenant (user demo / password demo)",
    "mambu sandbox --port 0 --persist state.json",
    "mambu sandbox --generate clients=20000,loans=20000 --latency 50±20",
  ],
  async run(ctx, rest) {
    if (ctx.sandbox) throw new UsageError("--sandbox makes no sense with the sandbox command", "sandbox");
    // Resolves once SIGINT/SIGTERM stopped the sandbox (or at once for a usage error).
    return sandboxMain(rest, { stdout: ctx.out.stdout, stderr: ctx.out.stderr });
  },
};

const demo: Command = {
  name: "demo",
  globals: ["help"],
  synopsis: "",
  summary: "Run the guided tour against a fresh embedded sandbox (no tenant needed).",
  options: [],
  examples: ["mambu demo"],
  async run(ctx) {
    positionals(ctx, "demo", []);
    const mod = (await import("./demo")) as { runDemo: () => Promise<void> };
    await mod.runDemo();
    return EXIT.OK;
  },
};

/** Where the migration toolkit's executable is, when this build has it. */
export function migrateBin(): string | undefined {
  for (const p of [join(__dirname, "..", "..", "bin", "mambu-migrate")]) if (existsSync(p)) return p;
  return undefined;
}

const migrate: Command = {
  name: "migrate",
  globals: ["sandbox", "help"],
  synopsis: "<plan> [options]",
  summary: "Run a migration plan (delegates to mambu-migrate, the migration toolkit).",
  description:
    "Every option after the command word goes to mambu-migrate. With --sandbox before the command word the plan runs\n" +
    "against an embedded sandbox started for it (the same as mambu-migrate --target sandbox, but on this process's sandbox).",
  options: [],
  passThrough: true,
  moreHelp: () => binHelp("mambu-migrate"),
  examples: ["mambu migrate plan.yaml --check", "mambu migrate plan.yaml --resume --report report.json", "mambu --sandbox migrate plan.yaml"],
  async run(ctx, rest) {
    const bin = migrateBin();
    if (!bin) {
      ctx.out.stderr.write("mambu: bin/mambu-migrate is missing from this installation of mambu-ts (reinstall the package)\n");
      return EXIT.FAILURE;
    }
    const env = { ...process.env };
    if (ctx.sandbox) {
      const s = await ctx.session();
      Object.assign(env, { MAMBU_API_URL: s.sandbox!.url, MAMBU_API_USER: "demo", MAMBU_API_PWD: "demo", MAMBU_API_KEY: "" });
    }
    return new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...rest], { stdio: "inherit", env });
      child.on("error", reject);
      child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + 2 : EXIT.FAILURE)));
    });
  },
};

/** Every command, in the order `mambu --help` lists them. */
export const COMMANDS: readonly Command[] = [get, listCommand, search, schedule, transactions, loanCommand, depositCommand, messagesCommand, paymentsCommand, callCommand, configAsCodeCommand, importCommand, bulkCommand, apikeyCommand, backupCommand, dbCommand, config, entitiesCommand, typesCommand, repl, sandbox, demo, migrate];
