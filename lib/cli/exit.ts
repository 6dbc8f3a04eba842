/**
 * Exit codes of the `mambu` command and how an error becomes a message on stderr: Mambu's code,
 * status and reason for Mambu errors, a one-line reason for everything else, a stack trace only
 * with `--debug`, and never a credential.
 */
import { MambuCommError, MambuError, MambuTsError } from "../errors";

/** Exit codes of `mambu` (documented in `mambu --help` and the README). */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** Anything unexpected (a bug, an I/O failure). */
  FAILURE: 1,
  /** Bad command line: unknown command, entity, option or value; arguments the library refuses before any request; missing configuration. */
  USAGE: 2,
  /** Mambu answered with an error (`MambuError`): not found, invalid field, invalid credentials... */
  MAMBU: 3,
  /** Mambu could not be reached, timed out or kept failing after every retry (`MambuCommError`). */
  COMM: 4,
} as const;

/** A mistake on the command line; printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  /**
   * @param message what is wrong, in one line.
   * @param command the command whose `--help` to point at (none: `mambu --help`).
   */
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The exit code for an error (see {@link EXIT}). */
export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return EXIT.USAGE;
  if (e instanceof MambuCommError) return EXIT.COMM;
  if (e instanceof MambuError) return EXIT.MAMBU;
  if (e instanceof MambuTsError) return EXIT.USAGE;
  return EXIT.FAILURE;
}

/**
 * The lines printed on stderr for an error (without the trailing newline): for a `MambuError`
 * its code, HTTP status and reason (and source), then the request that failed; for a
 * `MambuCommError` why Mambu could not be reached and after how many attempts. `debug` adds the
 * stack trace. Texts come from the error only, which never holds a credential; `secrets` are
 * masked again as a second line of defence.
 */
export function describeError(e: unknown, opts: { debug?: boolean; secrets?: readonly (string | undefined)[] } = {}): string {
  const lines: string[] = [];
  if (e instanceof UsageError) {
    lines.push(`mambu: ${e.message}`);
    lines.push(`Run "mambu ${e.command ? `${e.command} ` : ""}--help" for usage.`);
  } else if (e instanceof MambuCommError) {
    lines.push(`mambu: communication error: ${e.message}`);
    const details = [
      e.status !== undefined ? `last status ${e.status}` : undefined,
      e.errorReason ? `last reason ${e.errorReason}` : undefined,
      e.attempts !== undefined ? `${e.attempts} attempt${e.attempts === 1 ? "" : "s"}` : undefined,
    ].filter(Boolean);
    if (details.length) lines.push(`  ${details.join(", ")}`);
    if (e.method && e.url) lines.push(`  request: ${e.method} ${e.url}`);
  } else if (e instanceof MambuError) {
    if (e.errorCode !== undefined || e.errorReason) {
      const source = e.errorSource ? ` (source: ${e.errorSource})` : "";
      lines.push(`mambu: Mambu error ${e.errorCode ?? "?"} (HTTP ${e.status ?? "?"}): ${e.errorReason ?? "UNKNOWN_ERROR"}${source}`);
      for (const extra of e.errors.slice(1)) {
        lines.push(`  also ${extra.errorCode ?? "?"}: ${extra.errorReason ?? "UNKNOWN_ERROR"}${extra.errorSource ? ` (source: ${extra.errorSource})` : ""}`);
      }
    } else {
      lines.push(`mambu: Mambu error${e.status !== undefined ? ` (HTTP ${e.status})` : ""}: ${e.message}`);
    }
    if (e.method && e.url) lines.push(`  request: ${e.method} ${e.url}`);
  } else if (e instanceof MambuTsError) {
    lines.push(`mambu: ${e.message}`);
  } else if (e instanceof Error) {
    lines.push(`mambu: ${e.name === "Error" ? "" : `${e.name}: `}${e.message}`);
    if (!opts.debug) lines.push("  (run again with --debug for the stack trace)");
  } else {
    lines.push(`mambu: ${String(e)}`);
  }
  if (opts.debug && e instanceof Error && e.stack && !(e instanceof UsageError)) lines.push(e.stack);
  return mask(lines.join("\n"), opts.secrets ?? []);
}

/** Replaces each secret (4 characters or more) by `****`. */
export function mask(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of [...secrets].filter((x): x is string => typeof x === "string" && x.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join("****");
  }
  return out;
}
