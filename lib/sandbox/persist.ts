/**
 * Persistence of the sandbox's state: the store's snapshot as JSON, written atomically (a temporary file in
 * the same directory, fsync, then rename) so that a crash never leaves a half-written state file.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import type { StoreSnapshot } from "./store";

/** Writes a snapshot to `path` atomically. */
export function saveSnapshot(path: string, snapshot: StoreSnapshot): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(snapshot));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

/** Reads a snapshot (or seed) file, or undefined when it does not exist. */
export function loadSnapshotFile(path: string): StoreSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as StoreSnapshot;
}
