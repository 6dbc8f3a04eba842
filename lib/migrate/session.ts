/**
 * Before a run touches its workdir: create it, take its lock (and the rehearsal state file's), say
 * where the run writes and what it runs (binding.ts), and — resuming — read the journal and decide
 * whether and how much of it may be resumed (resume.ts). Nothing is sent to the tenant here.
 */
import { existsSync } from "fs";
import { join } from "path";
import type { MambuConfig } from "../config";
import { ConnectionSettings, PlanFingerprint, planFingerprint, TenantBinding, tenantBinding } from "./binding";
import { Journal } from "./journal";
import type { JournalHistory } from "./journal-file";
import { FileLock } from "./lock";
import { stateHash } from "./rehearsal";
import { checkResume, ResumeDecision } from "./resume";
import { Shard, shardText } from "./shard";
import { checkUnsharded, claimShardLayout, shardCount, shardJournalName, shardLockName, ShardRefused } from "./shard-workdir";
import type { Plan } from "./types";
import { defaultWorkdir, ensureWorkdir } from "./workdir";

/** What {@link openSession} is told. */
export interface SessionOptions {
  plan: Plan;
  target: "tenant" | "sandbox";
  /** Absolute path of the rehearsal's state file (`--sandbox-state`). */
  persist?: string;
  /** Validation only: no workdir, no journal (only the state file is locked). */
  check?: boolean;
  workdir?: string;
  resume?: boolean;
  allowChangedPlan?: boolean;
  /** Run one shard (its own journal and lock). */
  shard?: Shard;
  /** Without `shard`, in a sharded workdir: reconcile every shard (no journal is written). */
  reconcile?: boolean;
  connection?: ConnectionSettings;
  config: Pick<MambuConfig, "apiurl" | "apiuser" | "apikey">;
}

/** A run's hold on its files. */
export interface Session {
  /** Locks taken (release them at the end). */
  locks: FileLock[];
  /** The rest is absent for `check`. */
  workdir?: string;
  journalPath?: string;
  binding?: TenantBinding;
  fingerprint?: PlanFingerprint;
  /** SHA-256 of the rehearsal's state file as the run starts ("absent": none yet). */
  startState?: string;
  /** Resuming: the journal as read, and how much of it to keep. */
  history?: JournalHistory;
  decision?: ResumeDecision;
  /** A sharded workdir reconciled as a whole: its number of shards (their locks are held; no journal). */
  shards?: number;
}

/** Releases the locks of a session (synchronously; safe twice). */
export function releaseSession(s: Pick<Session, "locks">): void {
  for (const l of s.locks) l.release();
}

/**
 * Prepares a run's files (see the module comment); the locks taken are released if it throws.
 * A shard takes its own lock and journal (shard-workdir.ts); in a sharded workdir, a run without
 * `shard` but with `reconcile` takes every shard's lock and writes no journal (`shards` is set).
 * @throws LockedError (another run holds the workdir, the shard or the state file), ResumeRefused and
 *   JournalCorruptError (the journal may not be resumed here), ShardRefused (the workdir is cut
 *   another way), WorkdirError (files that cannot be created or read).
 */
export async function openSession(o: SessionOptions): Promise<Session> {
  const s: Session = { locks: [] };
  const info = { plan: o.plan.id, target: o.target };
  try {
    if (!o.check) {
      const w = (s.workdir = ensureWorkdir(o.workdir ?? defaultWorkdir(o.plan.id, o.target)));
      if (o.shard) {
        s.locks.push(FileLock.acquire(join(w, shardLockName(o.shard)), `shard ${shardText(o.shard)} of the workdir ${w}`, info));
        claimShardLayout(w, o.shard);
      } else {
        const count = shardCount(w);
        if (count !== undefined && o.reconcile && !o.resume) {
          for (let index = 1; index <= count; index++) {
            s.locks.push(FileLock.acquire(join(w, shardLockName({ index, count })), `shard ${index}/${count} of the workdir ${w}`, info));
          }
          s.shards = count;
          return s;
        }
        if (count !== undefined) throw new ShardRefused(`the workdir ${w} is cut into ${count} shards: run one with --shard i/${count}, or reconcile them all with --reconcile (without --shard nor --resume). Another --workdir runs the plan unsharded.`);
        s.locks.push(FileLock.acquire(join(w, "run.lock"), `the workdir ${w}`, info));
        checkUnsharded(w); // after the lock: a shard starting now sees it
      }
    }
    if (o.persist) s.locks.push(FileLock.acquire(`${o.persist}.lock`, `the sandbox state ${o.persist}`, info));
    if (!s.workdir) return s;
    s.journalPath = join(s.workdir, o.shard ? shardJournalName(o.shard) : "journal.jsonl");
    s.binding = o.target === "sandbox" ? { target: "sandbox", ...(o.persist ? { state: o.persist } : {}) } : tenantBinding(o.connection ?? {}, o.config);
    s.startState = o.persist ? stateHash(o.persist) : undefined;
    s.fingerprint = await planFingerprint(o.plan);
    if (o.resume && existsSync(s.journalPath)) {
      s.history = Journal.read(s.journalPath);
      s.decision = checkResume({ history: s.history, planId: o.plan.id, planHash: o.plan.hash, binding: s.binding, fingerprint: s.fingerprint, allowChangedPlan: o.allowChangedPlan, stateHash: s.startState });
    }
    return s;
  } catch (e) {
    releaseSession(s);
    throw e;
  }
}
