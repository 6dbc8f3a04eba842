/**
 * The files of shards in a workdir: each shard has its own journal (`journal.shard-2-of-3.jsonl`) and
 * lock (`run.shard-2-of-3.lock`), and its failures files under `failures/shard-2-of-3/`; the first
 * shard to start writes `shards.json` (how many shards the workdir is cut into). A workdir holds one
 * way of running a plan: shards of one count, or one unsharded run — mixing them would run clients
 * twice at once and leave journals that no resume or reconciliation can read together, so it is
 * refused. An unsharded run takes `run.lock` and then looks for `shards.json`; a shard writes
 * `shards.json` and then looks at `run.lock`: of two that start at once, one sees the other.
 */
import { randomBytes } from "crypto";
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "fs";
import { join } from "path";
import { errorCode, fsError } from "./fserrors";
import { describeHolder, FileLock } from "./lock";
import { Shard, shardTag, shardText } from "./shard";

/** The file saying how many shards a workdir is cut into. */
export const SHARDS_FILE = "shards.json";

/** `journal.shard-2-of-3.jsonl`. */
export const shardJournalName = (s: Shard): string => `journal.${shardTag(s)}.jsonl`;
/** `run.shard-2-of-3.lock`. */
export const shardLockName = (s: Shard): string => `run.${shardTag(s)}.lock`;

/** A workdir used another way (another number of shards, or unsharded): nothing was done. */
export class ShardRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShardRefused";
  }
}

/** The shard journals in a workdir, by the counts their names give. */
export function shardJournals(workdir: string): Array<{ shard: Shard; path: string }> {
  let names: string[];
  try {
    names = readdirSync(workdir);
  } catch (e) {
    if (errorCode(e) === "ENOENT") return [];
    throw fsError("read", "the workdir", workdir, e);
  }
  const out: Array<{ shard: Shard; path: string }> = [];
  for (const n of names) {
    const m = /^journal\.shard-(\d+)-of-(\d+)\.jsonl$/.exec(n);
    if (m) out.push({ shard: { index: Number(m[1]), count: Number(m[2]) }, path: join(workdir, n) });
  }
  return out.sort((a, b) => a.shard.count - b.shard.count || a.shard.index - b.shard.index);
}

/** The number of shards `shards.json` records, if the file is there. */
function recordedCount(workdir: string): number | undefined {
  const path = join(workdir, SHARDS_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (errorCode(e) === "ENOENT") return undefined;
    throw fsError("read", "the shards file", path, e);
  }
  const count = (() => {
    try {
      return (JSON.parse(text) as { shards?: unknown }).shards;
    } catch {
      return undefined;
    }
  })();
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
    throw new ShardRefused(`${path} does not say how many shards the workdir is cut into (${JSON.stringify(text.slice(0, 80))}): delete it if no shard of this workdir ran, or put back {"shards": n}.`);
  }
  return count;
}

/**
 * How many shards the workdir is cut into (by `shards.json`, else by its shards' journals, copied
 * from the machines that ran them); undefined for a workdir that is not sharded.
 * @throws ShardRefused when they disagree.
 */
export function shardCount(workdir: string): number | undefined {
  const recorded = recordedCount(workdir);
  const counts = [...new Set(shardJournals(workdir).map((j) => j.shard.count))];
  const all = [...new Set([...(recorded !== undefined ? [recorded] : []), ...counts])];
  if (all.length > 1) {
    throw new ShardRefused(`the workdir ${workdir} holds journals of ${all.join(" and ")} shards: one plan is cut one way in a workdir. Keep the journals of one count here, and the others in another --workdir.`);
  }
  return all[0];
}

/** Creates `path` holding `text` unless it exists (written aside, then linked: never seen half-written). */
function createOnce(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const fd = openSync(tmp, "wx", 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, path);
    } catch (e) {
      if (errorCode(e) !== "EEXIST") throw e;
    }
  } catch (e) {
    throw fsError("create", "the shards file", path, e);
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* gone */
    }
  }
}

/**
 * Before a shard runs (its lock taken): records the workdir's number of shards, and refuses a workdir
 * cut into another number of shards, or used by an unsharded run.
 * @throws ShardRefused saying what to do.
 */
export function claimShardLayout(workdir: string, shard: Shard): void {
  createOnce(join(workdir, SHARDS_FILE), `${JSON.stringify({ shards: shard.count })}\n`);
  const count = shardCount(workdir);
  if (count !== shard.count) {
    throw new ShardRefused(
      `the workdir ${workdir} is cut into ${count} shards (${SHARDS_FILE}): --shard ${shardText(shard)} would slice the plan another way and run clients twice at once. Run it as --shard i/${count}, or give ${shard.count} shards another --workdir.`,
    );
  }
  const held = FileLock.holder(join(workdir, "run.lock"));
  if (held) {
    const who = "unknown" in held ? `a run that does not say who it is` : describeHolder(held);
    throw new ShardRefused(`the workdir ${workdir} is in use by an unsharded run (${who}): a shard would run its clients a second time at once. Wait for it to end, or give the shards another --workdir.`);
  }
  if (existsSync(join(workdir, "journal.jsonl"))) {
    throw new ShardRefused(`the workdir ${workdir} holds the journal of an unsharded run (journal.jsonl): its shards cannot be resumed from it. Finish that run (with --resume), or give the shards another --workdir.`);
  }
}

/**
 * Before an unsharded run (its lock taken): refuses a sharded workdir.
 * @throws ShardRefused saying how to run or reconcile its shards.
 */
export function checkUnsharded(workdir: string): void {
  const count = shardCount(workdir);
  if (count !== undefined) {
    throw new ShardRefused(
      `the workdir ${workdir} is cut into ${count} shards: run one with --shard i/${count}, or reconcile them all with --reconcile (without --shard). Another --workdir runs the plan unsharded.`,
    );
  }
}
