/**
 * Keeps credentials out of the REPL's history file. A line typed in the REPL is dropped from the history when it
 * holds a secret value the process knows (every {@link Secret} wrapped so far — new API keys, secret keys — and the
 * configured `apipwd` and `apikey`), or when it assigns a credential literal (`secretKey: "..."`,
 * `apiKey = '...'`, `mambuconfig.apipwd = "..."`, `mambuconfig.set("apikey", "...")`, `new Secret("...")`).
 *
 * How Node writes the history (lib/internal/repl/history.js, Node 20): readline puts each line at the front of
 * `server.history` before emitting `line`; history.js, on `line`, schedules a debounced write (15 ms) of
 * `server.history.join(EOL)` at offset 0 of the file it truncated once at start, then emits `flushHistory`. So a
 * line taken out of `server.history` synchronously on `line` is never written. Because that write does not
 * truncate, a history made shorter (the oldest line dropped at `historySize` and then ours removed) would leave the
 * old text's tail after it: the file is cut to the length just written on `flushHistory`, when no write is under
 * way.
 */
import { ftruncateSync } from "node:fs";
import { EOL } from "node:os";
import type { REPLServer } from "node:repl";
import { mambuconfig } from "../config";
import { knownSecrets } from "../transport/secret";

/** Names a credential goes by in code and configuration (case-insensitive). */
const NAME = String.raw`(?:api[_-]?key|secret[_-]?key|api[_-]?pwd|api[_-]?password|passw(?:or)?d|pwd|authorization|token)`;
const QUOTE = "[\"'`]";
/** `secretKey: "x"`, `apiKey = 'x'`, `{"apipwd": "x"}`, `cfg["apikey"] = "x"`, `MAMBU_API_PWD="x"`, `apiKey === "x"`. */
const ASSIGNS_LITERAL = new RegExp(String.raw`${NAME}${QUOTE}?\s*\]?\s*(?::|[=!]={0,2})\s*${QUOTE}`, "i");
/** `mambuconfig.set("apikey", "x")`. */
const SETS_LITERAL = new RegExp(String.raw`\.set\(\s*${QUOTE}${NAME}${QUOTE}\s*,\s*${QUOTE}`, "i");
/** `new Secret("x")`. */
const WRAPS_LITERAL = new RegExp(String.raw`\bnew\s+Secret\s*\(\s*${QUOTE}`);

/** Secret values shorter than this are not looked for (they would match ordinary text; mask() does the same). */
const MIN_SECRET_LENGTH = 4;

/**
 * Whether a line typed in the REPL must stay out of the history: it contains one of `secrets` (values of at least
 * 4 characters) or assigns a credential literal.
 */
export function isSecretLine(line: string, secrets: readonly string[]): boolean {
  if (ASSIGNS_LITERAL.test(line) || SETS_LITERAL.test(line) || WRAPS_LITERAL.test(line)) return true;
  for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH && line.includes(s)) return true;
  return false;
}

/** The values the REPL history must not hold: every Secret wrapped so far, the configured apipwd and apikey. */
export function historySecrets(): string[] {
  const out = knownSecrets();
  for (const k of ["apipwd", "apikey"]) {
    try {
      const v = mambuconfig.get(k);
      if (v) out.push(v);
    } catch {
      // A malformed rc file: nothing configured to look for (the REPL shows that error elsewhere).
    }
  }
  return out;
}

/**
 * Drops secret lines from `server`'s history as they are typed (see the module comment), before Node's debounced
 * write can save them; lines read back from an older history file that hold a secret go at the next line too.
 * Works for `mambu repl` and for Node's own REPL (`node -i -r mambu-ts/repl`), whichever sets the history up.
 * @param secrets the values to look for (default {@link historySecrets}, read at each line).
 */
export function keepSecretsOutOfHistory(server: REPLServer, secrets: () => readonly string[] = historySecrets): void {
  let shortened = false;
  server.on("line", () => {
    const history = (server as unknown as { history?: unknown }).history;
    if (!Array.isArray(history)) return;
    const values = secrets();
    for (let i = history.length - 1; i >= 0; i--) {
      if (typeof history[i] === "string" && isSecretLine(history[i] as string, values)) {
        history.splice(i, 1);
        shortened = true;
      }
    }
  });
  server.on("flushHistory", () => {
    if (!shortened) return;
    shortened = false;
    const s = server as unknown as { history?: unknown; _historyHandle?: unknown };
    if (typeof s._historyHandle !== "number" || !Array.isArray(s.history)) return;
    try {
      ftruncateSync(s._historyHandle, Buffer.byteLength(s.history.join(EOL), "utf8"));
    } catch {
      // The handle was closed meanwhile (the REPL exited): the file holds what was written last.
    }
  });
}
