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
}

/** Releases the locks of a session (synchronously; safe twice). */
export function releaseSession(s: Pick<Session, "locks">): void {
  for (const l of s.locks) l.release();
}

/**
 * Prepares a run's files (see the module comment); the locks taken are released if it throws.
 * @throws LockedError (another run holds the workdir or state file), ResumeRefused and
 *   JournalCorruptError (the journal may not be resumed here), WorkdirError (files that cannot be
 *   created or read).
 */
export async function openSession(o: SessionOptions): Promise<Session> {
  const s: Session = { locks: [] };
  try {
    if (!o.check) {
      s.workdir = ensureWorkdir(o.workdir ?? defaultWorkdir(o.plan.id, o.target));
      s.locks.push(FileLock.acquire(join(s.workdir, "run.lock"), `the workdir ${s.workdir}`, { plan: o.plan.id, target: o.target }));
    }
    if (o.persist) s.locks.push(FileLock.acquire(`${o.persist}.lock`, `the sandbox state ${o.persist}`, { plan: o.plan.id, target: o.target }));
    if (!s.workdir) return s;
    s.journalPath = join(s.workdir, "journal.jsonl");
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
