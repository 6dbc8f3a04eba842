/**
 * `mambu-ts/repl`: the mambu-ts REPL for people who start Node themselves.
 *
 * ```sh
 * node -i -r mambu-ts/repl        # every entity class, mambuconfig, Decimal, DateTime in scope
 * ```
 *
 * Preloaded with `-r`, this module puts every export of mambu-ts on `globalThis`; when Node then
 * starts its REPL (`-i`, or no script), that REPL also gets the mambu-ts writer (entities, lists,
 * schedules and errors printed readably, credentials never), `.help` and `.config`. Node keeps its
 * own history (`NODE_REPL_HISTORY`); `mambu repl` uses `~/.mambu_repl_history`.
 *
 * Imported from code, it only exports {@link startRepl} and friends.
 */
import nodeRepl = require("node:repl");
import { decorateRepl, installGlobals } from "./cli/repl";

export { decorateRepl, formatReplValue, helpText, historyFile, installGlobals, replGlobals, startRepl } from "./cli/repl";
export type { DecorateOptions, FormatOptions, StartReplOptions } from "./cli/repl";

/** Whether this module was loaded with `node -r` / `--require` (before the REPL or the main script). */
function preloaded(): boolean {
  const parent = (module as unknown as { parent?: { id?: string } | null }).parent;
  if (parent && parent.id === "internal/preload") return true;
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = a === "-r" || a === "--require" ? argv[i + 1] : a.startsWith("--require=") ? a.slice(10) : undefined;
    if (value === undefined) continue;
    try {
      if (require.resolve(value, { paths: [process.cwd()] }) === __filename) return true;
    } catch {
      /* not ours */
    }
  }
  return false;
}

/** Whether Node is about to start its own REPL (`-i`, or no script and no `-e`/`-p`). */
function nodeWillStartRepl(): boolean {
  const argv = process.execArgv;
  if (argv.includes("-i") || argv.includes("--interactive")) return true;
  const evaluates = argv.some((a) => a === "-e" || a === "-p" || a.startsWith("--eval") || a.startsWith("--print"));
  return !evaluates && process.argv.length <= 1 && !!process.stdin.isTTY;
}

if (preloaded()) {
  installGlobals(globalThis);
  if (nodeWillStartRepl()) {
    // Node starts its REPL through the public `repl.start` after the preloads: decorate that one
    // server, then put `start` back as it was.
    const original = nodeRepl.start;
    const patched = function start(this: unknown, ...args: Parameters<typeof nodeRepl.start>): nodeRepl.REPLServer {
      (nodeRepl as { start: typeof nodeRepl.start }).start = original;
      return decorateRepl(original.apply(this, args));
    };
    try {
      (nodeRepl as { start: typeof nodeRepl.start }).start = patched;
    } catch {
      /* a frozen module namespace: globals are installed, the plain REPL still works */
    }
  }
}
