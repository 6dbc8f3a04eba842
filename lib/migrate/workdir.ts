/**
 * The workdir of a migration: where its journal, lock and failures files live. Real runs and
 * rehearsals have their own (`.mambu-journal/<plan id>` and `.mambu-journal/<plan id>/rehearsal`),
 * so that a rehearsal's journal is never resumed against a tenant. Creating it reports which
 * directory could not be written, and why (Node's recursive mkdir can name the wrong one).
 */
import { accessSync, constants, mkdirSync, statSync } from "fs";
import { dirname, join, resolve } from "path";
import { errorCode, fsError, fsReason, WorkdirError } from "./fserrors";

/** The default workdir of a plan: `.mambu-journal/<plan id>`, and `…/rehearsal` for `--target sandbox`. */
export function defaultWorkdir(planId: string, target: "tenant" | "sandbox"): string {
  const base = join(".mambu-journal", planId);
  return target === "sandbox" ? join(base, "rehearsal") : base;
}

function isDirectory(path: string): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch (e) {
    // ENOTDIR: a parent is a file, found going up
    if (errorCode(e) === "ENOENT" || errorCode(e) === "ENOTDIR") return undefined;
    throw fsError("use", "the workdir", path, e);
  }
}

/**
 * Creates the workdir (and missing parents) unless it exists, and checks that it is a writable
 * directory; returns its absolute path.
 * @throws WorkdirError naming the workdir and, when a parent is the cause, that parent.
 */
export function ensureWorkdir(dir: string): string {
  const abs = resolve(dir);
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    const isDir = isDirectory(at);
    if (isDir === true) break;
    if (isDir === false) {
      throw new WorkdirError(`cannot ${at === abs ? "use" : "create"} the workdir ${abs}: ${at} is a file, not a directory`, abs, "ENOTDIR");
    }
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (missing.length === 0) {
    try {
      accessSync(abs, constants.W_OK | constants.X_OK);
    } catch (e) {
      throw fsError("write in", "the workdir", abs, e, "Choose another --workdir");
    }
    return abs;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if (errorCode(e) === "EEXIST" && isDirectory(d)) continue;
      const parent = dirname(d);
      throw new WorkdirError(`cannot create the workdir ${abs}: cannot create ${d} in ${parent}: ${fsReason(e)} — choose another --workdir, or make ${parent} writable`, abs, errorCode(e));
    }
  }
  return abs;
}
