/**
 * Command-line parsing for `mambu`: GNU-style long options (`--limit 10`, `--limit=10`), short
 * aliases, repeatable options, `--` to end options. Unknown options and missing values are
 * {@link UsageError}s naming the command.
 */
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
  /** Flags as `true`, values as strings, lists as string arrays (absent when not given). */
  options: Record<string, boolean | string | string[] | undefined>;
}

/**
 * Parses `argv` against `specs`. `--no-<flag>` sets a flag to false.
 * @throws UsageError for an unknown option or a missing value.
 */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command?: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const out: ParsedArgs = { positionals: [], options: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    let negated = false;
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq > 0 ? a.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec && name.startsWith("no-")) {
        const flag = byName.get(name.slice(3));
        if (flag?.kind === "flag") {
          spec = flag;
          negated = true;
        }
      }
      if (!spec) throw new UsageError(`unknown option --${name}${suggest(name, [...byName.keys()])}`, command);
    } else if (/^-[a-zA-Z]$/.test(a)) {
      spec = byShort.get(a.slice(1));
      if (!spec) throw new UsageError(`unknown option ${a}`, command);
    } else {
      out.positionals.push(a);
      continue;
    }
    if (spec.kind === "flag") {
      if (inline !== undefined) throw new UsageError(`--${spec.name} takes no value`, command);
      out.options[spec.name] = !negated;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`--${spec.name} needs a value${spec.arg ? ` (${spec.arg})` : ""}`, command);
      value = argv[++i];
    }
    if (spec.kind === "value") out.options[spec.name] = value;
    else ((out.options[spec.name] ??= []) as string[]).push(value);
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
