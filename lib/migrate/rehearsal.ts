/**
 * A rehearsal kept in a sandbox state file (`--sandbox-state`): the sandbox writes its state when it
 * stops, the journal step by step — so after a kill, a crash or a second Ctrl-C the journal can record
 * steps the state file does not hold (resuming would then skip them: clients missing, loans failing).
 *
 * The journal therefore marks the states it knows: each run line has the hash of the state file the
 * run started from, and each save is a `saving` line, then `saved` with the file's new hash. On
 * resume, the file's hash tells which of those states it is; the records after that point are not in
 * it, so the journal is cut back there and those steps run again (on the sandbox they never reached).
 * A `saving` line with no `saved` after it and a file that matches no mark: the save was done but its
 * closing line was not written — the state holds everything. Any other file is not one this journal
 * knows (replaced, edited): resuming is refused.
 */
import { createHash } from "crypto";
import { readFileSync } from "fs";
import { errorCode, fsError } from "./fserrors";
import type { Journal } from "./journal";
import type { JournalHistory } from "./journal-file";

/** SHA-256 of the state file, or "absent" when there is none yet. */
export function stateHash(path: string): string {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch (e) {
    if (errorCode(e) === "ENOENT") return "absent";
    throw fsError("read", "the sandbox state", path, e);
  }
}

/** How much of a rehearsal's journal its state file holds (see the module comment). */
export type RehearsalKeep = { keep: number; dropped: number; savedWithoutMark: boolean } | { refuse: string };

/** Decides, from the journal's marks and the state file's hash now, which records to keep. */
export function rehearsalKeep(history: JournalHistory, statePath: string, current: string): RehearsalKeep {
  let last: { hash: string; end: number; at: string } | undefined;
  let matched: { end: number } | undefined;
  let savingAfterLast = false;
  for (const { rec, end } of history.entries) {
    let mark: { hash: string; end: number; at: string } | undefined;
    if (rec.t === "run" && rec.state !== undefined) mark = { hash: rec.state, end, at: rec.at };
    else if (rec.t === "state" && rec.phase === "saved" && rec.hash) mark = { hash: rec.hash, end, at: rec.at };
    else if (rec.t === "state" && rec.phase === "saving") savingAfterLast = true;
    if (!mark) continue;
    last = mark;
    savingAfterLast = false;
    if (mark.hash === current) matched = { end };
  }
  const records = (after: number): number => history.entries.filter((e) => e.end > after && (e.rec.t === "step" || e.rec.t === "unit")).length;
  if (matched) return { keep: matched.end, dropped: records(matched.end), savedWithoutMark: false };
  if (savingAfterLast && current !== "absent") return { keep: history.validEnd, dropped: 0, savedWithoutMark: true };
  if (!last) {
    return { refuse: `${history.path} does not record which sandbox state it was written with (an earlier version wrote it). Run the rehearsal without --resume: a new journal, and what ${statePath} holds is adopted.` };
  }
  const now = current === "absent" ? "no longer exists" : "is not a state this journal knows (replaced or edited)";
  return {
    refuse: `${statePath} ${now}: the journal ${history.path} last saw it at ${last.at}, and resuming could count as done steps that this state does not hold. Put that state file back, or run the rehearsal without --resume (a new journal; what the state holds is adopted, nothing is created twice).`,
  };
}

/** A sandbox of a rehearsal, as far as saving it goes. */
export interface RehearsalSandbox {
  stop(): Promise<void>;
  persistNow(): void;
}

/**
 * Stops the sandbox of a rehearsal; when it is kept in `statePath`, marks the save in the journal
 * around it (`saving`, then `saved` with the file's hash).
 */
export async function stopRehearsal(sandbox: RehearsalSandbox, journal: Journal | undefined, statePath: string | undefined): Promise<void> {
  if (!journal || !statePath || journal.failed) return sandbox.stop();
  try {
    journal.recordStateNow("saving");
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
  try {
    await sandbox.stop();
  } catch (e) {
    throw fsError("save", "the rehearsal's sandbox state", statePath, e, "--resume runs again this run's steps, which it does not hold");
  }
  journal.recordStateNow("saved", stateHash(statePath));
}

/**
 * Saves a kept rehearsal at once (a process about to exit: second Ctrl-C), marking it in the journal;
 * returns what the user should know.
 */
export function saveRehearsalNow(sandbox: RehearsalSandbox, journal: Journal, statePath: string): string {
  try {
    journal.recordStateNow("saving");
    sandbox.persistNow();
    journal.recordStateNow("saved", stateHash(statePath));
    return `the rehearsal's sandbox is saved in ${statePath}, and the journal with it: --resume continues`;
  } catch (e) {
    return `the rehearsal's sandbox could not be saved (${(e as Error).message}): --resume runs this run's steps again, as ${statePath} does not hold them`;
  }
}
