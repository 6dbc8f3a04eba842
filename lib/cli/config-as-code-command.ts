/**
 * `mambu config-as-code pull|diff|push <dir>`: a tenant's configuration as YAML files under version control.
 *
 * - `pull <dir>` writes one `<name>.yaml` per configuration (branches, centres, customfields, organization,
 *   userroles, accountingrules, authorizationholds) as Mambu sends it, each atomically (a temporary file renamed
 *   over the old one: never a half-written file).
 * - `diff <dir>` shows, per file, what a PUT would change on the tenant: a structural diff of the documents
 *   (`~ branches[id=MTY].name: "Monterrey" → "Monterrey Centro"`), not of text lines.
 * - `push <dir>` checks every file first — one that does not parse or does not follow its definition is refused
 *   with `file:line:column`, before anything is sent — shows the diff, asks "Push …? [y/N]" on a terminal (without
 *   one it needs `--yes`), then PUTs the files that change, in dependency order, printing Mambu's warnings.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { callOperation } from "../core/call";
import {
  CONFIGURATION_NAMES, CONFIGURATION_RESOURCES, ConfigurationName, formatProblems, getConfiguration, putConfiguration, validateConfiguration,
} from "../core/configuration";
import { parseConfigYaml, YamlDocumentError } from "../core/yaml-config";
import type { YamlProblem } from "../core/yaml-config";
import type { Command, CommandContext } from "./commands";
import { askYesNo, mustAsk, processIO } from "./confirm";
import { EXIT, UsageError } from "./exit";
import { diffDocuments, formatDiff } from "./yaml-diff";

const NAME = "config-as-code";

/** The order files are pushed in: what others refer to first (roles before fields' rights, fields before values, branches before centres and rules). */
export const PUSH_ORDER: readonly ConfigurationName[] = ["organization", "userroles", "customfields", "branches", "centres", "accountingrules", "authorizationholds"];


/** The configurations `--only` names (all when absent), checked. */
function selected(ctx: CommandContext): ConfigurationName[] {
  const only = ctx.args.options.only;
  const raw = (Array.isArray(only) ? only : typeof only === "string" ? [only] : []).flatMap((x) => x.split(",")).map((x) => x.trim().replace(/\.yaml$/, "")).filter(Boolean);
  if (!raw.length) return [...PUSH_ORDER];
  for (const n of raw) {
    if (!(CONFIGURATION_NAMES as readonly string[]).includes(n)) throw new UsageError(`--only ${n}: not a configuration; configurations: ${CONFIGURATION_NAMES.join(", ")}`, NAME);
  }
  return PUSH_ORDER.filter((n) => raw.includes(n));
}

/** Writes a file atomically: a temporary file in the same directory, then renamed over the target. */
export function writeAtomic(path: string, text: string): void {
  const tmp = join(path, "..", `.${path.split(/[\\/]/).pop()}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(tmp, text, { encoding: "utf8", mode: 0o644, flag: "wx" });
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* not written */
    }
    throw e;
  }
}

/** A local file, parsed and checked; problems name `file:line:column`. */
interface LocalFile {
  name: ConfigurationName;
  file: string;
  text: string;
  doc: unknown;
}

/** Reads and checks the files of `dir` for the selected configurations (missing files are skipped). */
function readLocal(dir: string, names: ConfigurationName[], ctx: CommandContext): { files: LocalFile[]; problems: string[] } {
  let present: Set<string>;
  try {
    present = new Set(readdirSync(dir));
  } catch {
    throw new UsageError(`${dir}: no such directory`, NAME);
  }
  const files: LocalFile[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const base = `${name}.yaml`;
    if (!present.has(base)) continue;
    const file = join(dir, base);
    const text = readFileSync(file, "utf8");
    try {
      const doc = parseConfigYaml(text, file);
      const found: YamlProblem[] = validateConfiguration(name, doc, text);
      if (found.length) problems.push(formatProblems(found, file));
      else files.push({ name, file, text, doc });
    } catch (e) {
      if (!(e instanceof YamlDocumentError)) throw e;
      problems.push(e.problems.length ? formatProblems(e.problems, file) : e.message);
    }
  }
  const unknown = [...present].filter((f) => f.endsWith(".yaml") && !(CONFIGURATION_NAMES as readonly string[]).includes(f.slice(0, -5)));
  if (unknown.length) ctx.out.stderr.write(`mambu: ignored (not a configuration): ${unknown.join(", ")}\n`);
  return { files, problems };
}

function dirArg(ctx: CommandContext, verb: string): string {
  const [, dir, ...more] = ctx.args.positionals;
  if (!dir) throw new UsageError(`which directory? mambu ${NAME} ${verb} <dir>`, NAME);
  if (more.length) throw new UsageError(`too many arguments: ${more.join(" ")}`, NAME);
  return dir;
}

async function pull(ctx: CommandContext): Promise<number> {
  const dir = dirArg(ctx, "pull");
  const names = selected(ctx);
  mkdirSync(dir, { recursive: true });
  const s = await ctx.session();
  for (const name of names) {
    const text = String((await callOperation(CONFIGURATION_RESOURCES[name], "get", { connector: s.connector })) ?? "");
    parseConfigYaml(text, `${name}.yaml from Mambu`); // only documents that parse are written
    writeAtomic(join(dir, `${name}.yaml`), text.endsWith("\n") ? text : `${text}\n`);
    ctx.out.stdout.write(`${join(dir, `${name}.yaml`)}\n`);
  }
  return EXIT.OK;
}

/** Per file, the differences with the tenant. */
async function changes(ctx: CommandContext, files: LocalFile[]): Promise<Array<{ f: LocalFile; lines: string[] }>> {
  const s = await ctx.session();
  const out: Array<{ f: LocalFile; lines: string[] }> = [];
  for (const f of files) {
    const remote = await getConfiguration(f.name, { connector: s.connector });
    out.push({ f, lines: formatDiff(diffDocuments(remote, f.doc)) });
  }
  return out;
}

function printChanges(ctx: CommandContext, diffs: Array<{ f: LocalFile; lines: string[] }>): void {
  for (const { f, lines } of diffs) {
    ctx.out.stdout.write(lines.length ? `${f.file}\n${lines.map((l) => `  ${l}`).join("\n")}\n` : `${f.file}: no changes\n`);
  }
}

function refuse(ctx: CommandContext, problems: string[]): number {
  ctx.out.stderr.write(`mambu: ${problems.length === 1 ? "a file is" : "files are"} refused, nothing was sent:\n${problems.join("\n")}\n`);
  return EXIT.USAGE;
}

async function diff(ctx: CommandContext): Promise<number> {
  const dir = dirArg(ctx, "diff");
  const { files, problems } = readLocal(dir, selected(ctx), ctx);
  if (problems.length) return refuse(ctx, problems);
  if (!files.length) throw new UsageError(`${dir}: no configuration files (${CONFIGURATION_NAMES.map((n) => `${n}.yaml`).join(", ")})`, NAME);
  printChanges(ctx, await changes(ctx, files));
  return EXIT.OK;
}

async function push(ctx: CommandContext): Promise<number> {
  const dir = dirArg(ctx, "push");
  const { files, problems } = readLocal(dir, selected(ctx), ctx);
  if (problems.length) return refuse(ctx, problems);
  if (!files.length) throw new UsageError(`${dir}: no configuration files (${CONFIGURATION_NAMES.map((n) => `${n}.yaml`).join(", ")})`, NAME);
  const diffs = await changes(ctx, files); // reads only
  printChanges(ctx, diffs);
  const todo = diffs.filter((d) => d.lines.length).map((d) => d.f);
  if (!todo.length) {
    ctx.out.stdout.write("nothing to push\n");
    return EXIT.OK;
  }
  const where = todo.map((f) => `PUT /configuration/${f.name}.yaml`).join(", ");
  const io = processIO();
  const ask = mustAsk({ command: NAME, what: `${NAME} push`, where, yes: !!ctx.args.options.yes }, io);
  if (ask && !(await askYesNo(`Push ${todo.map((f) => `${f.name}.yaml`).join(", ")}? [y/N] `, io))) {
    ctx.out.stderr.write("mambu: cancelled, nothing sent\n");
    return EXIT.FAILURE;
  }
  const s = await ctx.session();
  for (const f of todo) {
    const { warnings } = await putConfiguration(f.name, f.text, { connector: s.connector });
    ctx.out.stdout.write(`pushed ${f.file}\n`);
    for (const w of warnings) ctx.out.stderr.write(`mambu: ${f.name}.yaml: warning: ${w}\n`);
  }
  return EXIT.OK;
}

/** `mambu config-as-code`. */
export const configAsCodeCommand: Command = {
  name: NAME,
  globals: ["sandbox", "debug", "help"],
  synopsis: "pull|diff|push <dir>",
  summary: "Keep the tenant's configuration as YAML files: pull them, diff them with the tenant, push them back.",
  description:
    `Files: <dir>/<name>.yaml for ${CONFIGURATION_NAMES.join(", ")}. pull writes each file atomically;\n` +
    "diff shows what a push would change, path by path (list items matched by id); push refuses a file that does\n" +
    "not parse or does not follow its definition (file:line:column) before sending anything, shows the diff and asks\n" +
    '"Push ...? [y/N]" on a terminal (without one: --yes), then PUTs the files that change.',
  options: [
    { name: "only", kind: "list", arg: "name,...", help: "only these configurations (repeatable or comma-separated), e.g. branches,centres" },
    { name: "yes", kind: "flag", short: "y", help: "push without asking" },
  ],
  examples: [
    "mambu config-as-code pull ./tenant-config",
    "mambu config-as-code diff ./tenant-config --only branches",
    "mambu config-as-code push ./tenant-config --yes",
  ],
  async run(ctx) {
    const verb = ctx.args.positionals[0];
    if (verb === "pull") return pull(ctx);
    if (verb === "diff") return diff(ctx);
    if (verb === "push") return push(ctx);
    throw new UsageError(verb ? `unknown action "${verb}": pull, diff or push` : "pull, diff or push? mambu config-as-code pull <dir>", NAME);
  },
};
