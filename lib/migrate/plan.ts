/**
 * Migration plans: a JSON or YAML file naming the sources, the mapping from columns to Mambu fields,
 * defaults and the steps to run. `loadPlan` reads one and checks its structure (not the rows: see
 * validate.ts), resolving source files against the plan's directory.
 */
import { createHash } from "crypto";
import { existsSync, readFileSync } from "fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "path";
import { parse as parseYaml } from "yaml";
import { formatOf } from "./sources";
import { FieldMapSpec, Plan, PlanSpec, Problem, SOURCE_NAMES, SourceFile, SourceName, STEP_NAMES, StepName } from "./types";

/** A plan that cannot be used; `problems` lists everything found at once. */
export class PlanError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.file}: ${p.message}`).join("\n"));
    this.name = "PlanError";
  }
}

const TOP_KEYS = new Set(["id", "description", "tenantOffset", "amountDecimals", "sources", "steps", "mapping", "defaults", "personal", "documentsDir"]);
const LOAN_BLOCKS = new Set(["account", "approve", "settlement", "disburse"]);
const RULE_KEYS = new Set(["column", "value", "default", "required", "split", "personal"]);
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Which source each step needs. */
export const STEP_SOURCE: Record<StepName, SourceName> = {
  client: "clients",
  group: "groups",
  deposit: "deposits",
  opening: "deposits",
  depositTransaction: "depositTransactions",
  loan: "loans",
  approve: "loans",
  settlement: "loans",
  settlementOpening: "loans",
  schedule: "schedules",
  disburse: "loans",
  fee: "fees",
  repayment: "repayments",
  interest: "loanTransactions",
  adjustment: "loanTransactions",
  document: "documents",
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkFieldMap(where: string, map: unknown, problems: Problem[], file: string): void {
  if (!isObj(map)) {
    problems.push({ file, message: `${where}: expected a map of target field → column` });
    return;
  }
  for (const [target, rule] of Object.entries(map)) {
    if (target.trim() === "") problems.push({ file, message: `${where}: empty target field name` });
    if (typeof rule === "string") {
      if (rule === "") problems.push({ file, message: `${where}.${target}: empty column name` });
      continue;
    }
    if (!isObj(rule)) {
      problems.push({ file, message: `${where}.${target}: expected a column name or { column, value, default, required, split }` });
      continue;
    }
    for (const k of Object.keys(rule)) if (!RULE_KEYS.has(k)) problems.push({ file, message: `${where}.${target}: unknown key "${k}" (known: ${[...RULE_KEYS].join(", ")})` });
    if (rule.column === undefined && rule.value === undefined && rule.default === undefined) {
      problems.push({ file, message: `${where}.${target}: give a column, a value or a default` });
    }
    if (rule.column !== undefined && (typeof rule.column !== "string" || rule.column === "")) problems.push({ file, message: `${where}.${target}.column: expected a column name` });
    if (rule.column !== undefined && rule.value !== undefined) problems.push({ file, message: `${where}.${target}: give either column or value, not both` });
    if (rule.required !== undefined && typeof rule.required !== "boolean") problems.push({ file, message: `${where}.${target}.required: expected true or false` });
    if (rule.split !== undefined && (typeof rule.split !== "string" || rule.split === "")) problems.push({ file, message: `${where}.${target}.split: expected a separator` });
    if (rule.personal !== undefined && typeof rule.personal !== "boolean") problems.push({ file, message: `${where}.${target}.personal: expected true or false` });
  }
}

/**
 * Parses and checks a plan's text. `file` is used in messages and to resolve the sources.
 * @throws PlanError listing every structural problem.
 */
export function parsePlan(text: string, file: string): Plan {
  const shown = basename(file);
  let spec: unknown;
  try {
    spec = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new PlanError([{ file: shown, message: `cannot parse the plan: ${(e as Error).message}` }]);
  }
  const problems: Problem[] = [];
  const p = (message: string): void => void problems.push({ file: shown, message });
  if (!isObj(spec)) throw new PlanError([{ file: shown, message: "a plan is a map (id, sources, mapping, ...)" }]);
  for (const k of Object.keys(spec)) if (!TOP_KEYS.has(k)) p(`unknown key "${k}" (known: ${[...TOP_KEYS].join(", ")})`);
  if (typeof spec.id !== "string" || !ID_RE.test(spec.id)) p(`id: expected an identifier (letters, digits, . _ -; at most 64), got ${JSON.stringify(spec.id)}`);
  if (spec.tenantOffset !== undefined && (typeof spec.tenantOffset !== "string" || !/^(Z|[+-]\d{2}:\d{2})$/.test(spec.tenantOffset))) {
    p(`tenantOffset: expected ±HH:MM, got ${JSON.stringify(spec.tenantOffset)}`);
  }
  const decimals = spec.amountDecimals ?? 2;
  if (typeof decimals !== "number" || !Number.isInteger(decimals) || decimals < 0 || decimals > 10) p("amountDecimals: expected an integer 0..10");

  const dir = dirname(resolve(file));
  const files: SourceFile[] = [];
  if (!isObj(spec.sources) || Object.keys(spec.sources).length === 0) p("sources: expected a map of source name → { file }");
  else {
    for (const [name, src] of Object.entries(spec.sources)) {
      if (!(SOURCE_NAMES as readonly string[]).includes(name)) {
        p(`sources.${name}: unknown source (known: ${SOURCE_NAMES.join(", ")})`);
        continue;
      }
      const s = typeof src === "string" ? { file: src } : src;
      if (!isObj(s)) {
        p(`sources.${name}: expected { file, format?, delimiter? }`);
        continue;
      }
      const list = Array.isArray(s.file) ? s.file : [s.file];
      if (list.length === 0 || list.some((f) => typeof f !== "string" || f === "")) {
        p(`sources.${name}.file: expected a file name or a list of them`);
        continue;
      }
      if (s.format !== undefined && s.format !== "csv" && s.format !== "jsonl") p(`sources.${name}.format: expected csv or jsonl`);
      if (s.delimiter !== undefined && (typeof s.delimiter !== "string" || s.delimiter.length !== 1 || /["\r\n]/.test(s.delimiter))) {
        p(`sources.${name}.delimiter: expected one character`);
      }
      for (const f of list as string[]) {
        const path = isAbsolute(f) ? f : join(dir, f);
        if (!existsSync(path)) p(`sources.${name}.file: ${f} does not exist (looked for ${path})`);
        const rel = relative(process.cwd(), path);
        files.push({
          source: name as SourceName,
          path,
          shown: rel && !rel.startsWith("..") && rel.length < path.length ? rel : path,
          format: formatOf(f, s.format as string | undefined),
          delimiter: (s.delimiter as string | undefined) ?? ",",
        });
      }
    }
  }
  const has = (n: SourceName): boolean => files.some((f) => f.source === n);

  const mapping = spec.mapping;
  if (!isObj(mapping)) p("mapping: expected a map with clients, groups, loans, schedules, fees, repayments, deposits, depositTransactions, loanTransactions, documents, groupMembers");
  else {
    for (const [name, m] of Object.entries(mapping)) {
      if (!(SOURCE_NAMES as readonly string[]).includes(name)) {
        p(`mapping.${name}: unknown source (known: ${SOURCE_NAMES.join(", ")})`);
        continue;
      }
      if (!has(name as SourceName)) p(`mapping.${name}: no such source in sources`);
      if (name === "loans") {
        if (!isObj(m) || !isObj(m.account)) {
          p("mapping.loans: expected { account: {...}, approve?, settlement?, disburse? }");
          continue;
        }
        for (const [block, bm] of Object.entries(m)) {
          if (!LOAN_BLOCKS.has(block)) p(`mapping.loans.${block}: unknown block (known: ${[...LOAN_BLOCKS].join(", ")})`);
          else checkFieldMap(`mapping.loans.${block}`, bm, problems, shown);
        }
      } else checkFieldMap(`mapping.${name}`, m, problems, shown);
    }
    for (const f of files) if (!(f.source in mapping)) p(`sources.${f.source}: no mapping.${f.source} for it`);
    const req = (src: string, field: string): void => {
      const m = src === "loans" ? (mapping.loans as { account?: FieldMapSpec } | undefined)?.account : (mapping[src] as FieldMapSpec | undefined);
      if (isObj(m) && !(field in m)) p(`mapping.${src}${src === "loans" ? ".account" : ""}: "${field}" must be mapped (ids come from the source)`);
    };
    req("clients", "id");
    req("groups", "id");
    req("loans", "id");
    req("loans", "accountHolderId");
    for (const s of ["schedules", "fees", "repayments", "loanTransactions"]) if (isObj(mapping[s])) req(s, "loanId");
    if (isObj(mapping.deposits)) {
      req("deposits", "id");
      req("deposits", "accountHolderId");
    }
    if (isObj(mapping.depositTransactions)) req("depositTransactions", "depositId");
    if (isObj(mapping.groupMembers)) {
      req("groupMembers", "groupId");
      req("groupMembers", "clientId");
    }
    if (has("groupMembers") && !has("groups")) p("sources.groupMembers: needs the groups source (the groups the members belong to)");
    if (isObj(mapping.documents)) {
      req("documents", "ownerId");
      req("documents", "file");
    }
    if (has("depositTransactions") && !has("deposits")) p("sources.depositTransactions: needs the deposits source (the accounts the transactions belong to)");
  }

  let steps: Set<StepName>;
  if (spec.steps === undefined) {
    steps = new Set(STEP_NAMES.filter((s) => has(STEP_SOURCE[s])));
  } else if (!Array.isArray(spec.steps) || spec.steps.some((s) => !(STEP_NAMES as readonly string[]).includes(s as string))) {
    p(`steps: expected a list of ${STEP_NAMES.join(", ")}`);
    steps = new Set();
  } else {
    steps = new Set(spec.steps as StepName[]);
    for (const s of steps) if (!has(STEP_SOURCE[s])) p(`steps: ${s} needs the source ${STEP_SOURCE[s]}`);
    if (steps.has("disburse") && steps.has("loan") && !steps.has("approve")) p("steps: disburse needs approve (a loan is disbursed once approved)");
    if ((steps.has("fee") || steps.has("repayment")) && steps.has("loan") && !steps.has("disburse")) p("steps: fee and repayment need disburse");
    if ((steps.has("interest") || steps.has("adjustment")) && steps.has("loan") && !steps.has("disburse")) p("steps: interest and adjustment need disburse");
  }
  if (spec.defaults !== undefined && !isObj(spec.defaults)) p("defaults: expected a map shaped like mapping");
  if (spec.documentsDir !== undefined && (typeof spec.documentsDir !== "string" || spec.documentsDir === "")) p("documentsDir: expected a directory (the documents' files are relative to it)");
  const documentsDir = typeof spec.documentsDir === "string" && spec.documentsDir !== "" ? resolve(dir, spec.documentsDir) : dir;
  if (spec.personal !== undefined) {
    if (!isObj(spec.personal)) p("personal: expected a map of source name → list of columns holding personal data");
    else {
      for (const [name, cols] of Object.entries(spec.personal)) {
        if (!(SOURCE_NAMES as readonly string[]).includes(name)) p(`personal.${name}: unknown source (known: ${SOURCE_NAMES.join(", ")})`);
        else if (!has(name as SourceName)) p(`personal.${name}: no such source in sources`);
        if (!Array.isArray(cols) || cols.some((c) => typeof c !== "string" || c.trim() === "")) p(`personal.${name}: expected a list of column names`);
      }
    }
  }

  if (problems.length) throw new PlanError(problems);
  return {
    spec: spec as unknown as PlanSpec,
    id: spec.id as string,
    file: resolve(file),
    dir,
    hash: createHash("sha256").update(text).digest("hex"),
    files,
    steps,
    amountDecimals: decimals as number,
    documentsDir,
  };
}

/**
 * Reads a plan file (`.json`, `.yaml` or `.yml`) and checks its structure.
 * @throws PlanError listing every problem found.
 */
export function loadPlan(file: string): Plan {
  if (!existsSync(file)) throw new PlanError([{ file, message: "the plan file does not exist" }]);
  return parsePlan(readFileSync(file, "utf8"), file);
}
