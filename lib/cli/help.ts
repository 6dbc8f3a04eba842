/** Building blocks of the `--help` texts of `mambu` and `mambu-sandbox`, made from the same option specs as the parsers. */
import type { OptionSpec } from "./args";

/** The lines of an options list: `  -h, --help        show help`, aligned, one per option. */
export function optionLines(specs: readonly OptionSpec[]): string[] {
  const left = specs.map((s) => `${s.short ? `-${s.short}, ` : "    "}--${s.name}${s.arg ? ` ${s.arg}` : ""}`);
  const w = Math.max(...left.map((l) => l.length));
  return specs.map((s, i) => `  ${left[i].padEnd(w)}  ${s.help}`);
}
