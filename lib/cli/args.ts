/**
 * Command-line parsing shared by `mambu` and `mambu-sandbox`, on `node:util` `parseArgs`: GNU-style
 * long options (`--limit 10`, `--limit=10`), short aliases (`-h`, grouped `-hV`), repeatable
 * options, `--no-<flag>`, `--` to end options. `parseArgs` splits the words; this module checks
 * them against the command's {@link OptionSpec}s so that every mistake is a {@link UsageError}
 * that says what to type instead (`unknown option --limt (did you mean --limit?)`,
 * `--limit needs a value (N)`, `--json takes no value`).
 */
import { parseArgs as nodeParseArgs } from "node:util";
import { UsageError } from "./exit";

/** One option a command accepts. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `limit`. */
  name: string;
  /** `flag`: no value; `value`: one value (the last one given wins); `list`: repeatable, every value kept. */
  kind: "flag" | "value" | "list";
  /** One-letter alias without the dash, e.g. `h`. */
  short?: string;
  /** Placeholder in help, e.g. `N`. */
  arg?: string;
  /** One line for `--help`. */
  help: string;
}

/** What a command line holds once parsed. */
export interface ParsedArgs {
  positionals: string[];
  /** Flags as `true` (`false` for `--no-<flag>`), values as strings, lists as string arrays (absent when not given). */
  options: Record<string, boolean | string | string[] | undefined>;
}

type NodeOptions = NonNullable<Parameters<typeof nodeParseArgs>[0]>["options"];

/**
 * Parses `argv` against `specs`. `--no-<flag>` sets a flag to false; the last of `--x`/`--no-x` wins.
 * @param command the command named in usage errors (their "Run mambu <command> --help" hint).
 * @throws UsageError for an unknown option, a missing value, or a value given to a flag.
 */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command?: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const options: NodeOptions = {};
  for (const s of specs) {
    options[s.name] = { type: s.kind === "flag" ? "boolean" : "string", ...(s.short ? { short: s.short } : {}), ...(s.kind === "list" ? { multiple: true } : {}) };
  }
  // strict: false so that unknown options and missing values come back as tokens, checked below with our messages.
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const out: ParsedArgs = { positionals: [], options: {} };
  for (const t of tokens) {
    if (t.kind === "positional") {
      out.positionals.push(t.value);
      continue;
    }
    if (t.kind === "option-terminator") continue;
    const long = t.rawName.startsWith("--");
    let spec = byName.get(t.name);
    let negated = false;
    if (long && !spec && t.name.startsWith("no-") && byName.get(t.name.slice(3))?.kind === "flag") {
      spec = byName.get(t.name.slice(3));
      negated = true;
    }
    if (!spec || (!long && spec.short === undefined)) {
      throw new UsageError(`unknown option ${t.rawName}${long ? suggest(t.name, [...byName.keys()]) : ""}`, command);
    }
    if (spec.kind === "flag") {
      if (t.value !== undefined) throw new UsageError(`--${spec.name} takes no value`, command);
      out.options[spec.name] = !negated;
    } else if (t.value === undefined) {
      throw new UsageError(`--${spec.name} needs a value${spec.arg ? ` (${spec.arg})` : ""}`, command);
    } else if (spec.kind === "value") {
      out.options[spec.name] = t.value;
    } else {
      ((out.options[spec.name] ??= []) as string[]).push(t.value);
    }
  }
  return out;
}

/**
 * Splits a command line into what comes before the command word and the rest: the command is the
 * first argument that is neither an option of `globals` nor the value of one.
 */
export function splitCommand(argv: readonly string[], globals: readonly OptionSpec[]): { before: string[]; command?: string; after: string[] } {
  const valued = new Set(globals.filter((s) => s.kind !== "flag").flatMap((s) => [`--${s.name}`, ...(s.short ? [`-${s.short}`] : [])]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") break;
    if (a.startsWith("-")) {
      if (valued.has(a)) i++;
      continue;
    }
    return { before: argv.slice(0, i), command: a, after: argv.slice(i + 1) };
  }
  return { before: [...argv], after: [] };
}

/** Parses a positive integer option. @throws UsageError otherwise. */
export function positiveInt(name: string, v: string | undefined, command?: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`, command);
  }
  return Number(v);
}

/** " (did you mean --x?)" when a known name is close to `name`. */
export function suggest(name: string, known: readonly string[], prefix = "--"): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3)) ? ` (did you mean ${prefix}${best}?)` : "";
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
