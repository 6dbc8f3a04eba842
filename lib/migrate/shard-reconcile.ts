/**
 * Reconciling a sharded plan as a whole (`--reconcile` without `--shard` in a sharded workdir): each
 * shard's journal says which of its clients and groups it finished or failed, and which it has not
 * reached; a shard whose journal is not in the workdir (run on another machine, not copied) is named.
 * The tenant is then reconciled against the whole plan (reconcile.ts).
 */
import { existsSync } from "fs";
import { basename, join } from "path";
import { Journal } from "./journal";
import { sliceBook } from "./shard";
import { shardJournalName } from "./shard-workdir";
import type { Book, Plan } from "./types";

/** What one shard's journal says of its slice. */
export interface ShardStatus {
  /** `2/3`. */
  shard: string;
  journal: string;
  /** Whether the journal is in the workdir. */
  found: boolean;
  /** Clients and groups of the slice, and how the journal says they ended. */
  units: number;
  done: number;
  failed: number;
  /** Units its journal does not record as done or failed. */
  notDone: number;
}

/** The status of every shard of a workdir cut into `count` shards. */
export function shardStatuses(workdir: string, plan: Plan, book: Book, count: number): ShardStatus[] {
  const out: ShardStatus[] = [];
  for (let index = 1; index <= count; index++) {
    const shard = { index, count };
    const slice = sliceBook(book, plan, shard);
    const path = join(workdir, shardJournalName(shard));
    const status: ShardStatus = { shard: `${index}/${count}`, journal: path, found: existsSync(path), units: slice.units.length, done: 0, failed: 0, notDone: 0 };
    const ended = new Map<string, string>();
    if (status.found) for (const { rec } of Journal.read(path).entries) if (rec.t === "unit") ended.set(rec.unit, rec.status);
    for (const u of slice.units) {
      const s = ended.get(u.key);
      if (s === "done") status.done++;
      else if (s === "failed") status.failed++;
      else status.notDone++;
    }
    out.push(status);
  }
  return out;
}

/** Whether every shard's journal is there and records every unit of its slice as done. */
export const shardsComplete = (statuses: readonly ShardStatus[]): boolean => statuses.every((s) => s.found && s.done === s.units);

/** One line per shard. */
export function formatShardStatuses(statuses: readonly ShardStatus[]): string {
  return statuses
    .map((s) =>
      s.found
        ? `shard ${s.shard}: ${s.units} clients and groups, ${s.done} done, ${s.failed} failed, ${s.notDone} not done (${basename(s.journal)})`
        : `shard ${s.shard}: ${s.units} clients and groups, no journal here (${s.journal}): copy it from the machine that ran the shard`,
    )
    .join("\n");
}
