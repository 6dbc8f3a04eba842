/**
 * The crash-safe journal of a migration: an append-only JSON lines file recording each completed
 * step (and each finished unit), made durable with `fdatasync`, in the order the lines were recorded.
 * Lines of concurrent steps are committed together (group commit: while one batch is being synced,
 * the next gathers), written at once and synced off the event loop; a batch of lines nobody waits for (steps and units done:
 * the run goes on while they sync, see steps.ts) gathers for up to {@link COMMIT_WINDOW_MS} more,
 * cut short by a line somebody waits for (`begin`, a unit failed). What a crash leaves (a torn or
 * NUL-filled tail) is cut off on resume (journal-file.ts). No native addon: plain `fs`.
 *
 * Each run starts with a `run` line saying where it ran (tenant or rehearsal sandbox), on what (the
 * plan's and sources' hashes) and, for a rehearsal kept in a state file, that file's hash; `state`
 * lines mark when a rehearsal's sandbox state was saved. resume.ts and rehearsal.ts read them.
 *
 * A `begin` line is synced before the first request of each unit (the runner writes them a few units
 * ahead, in one batch: a unit begun but never run is only looked up on resume). A journal that has known every
 * run of its plan in this workdir from the start (no earlier journal moved aside, none of an earlier
 * version) therefore knows which units were never sent anything: their records are created without a
 * look-up first (`untouched`); a unit it has a line of is looked up as before (steps.ts).
 * A write that fails (full disk, permissions) fails the journal for good, with a message naming it.
 */
import { randomUUID } from "crypto";
import { closeSync, existsSync, fdatasync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, renameSync, writeSync } from "fs";
import { hostname } from "os";
import { dirname } from "path";
import type { TenantBinding } from "./binding";
import { fsError, WorkdirError } from "./fserrors";
import { JournalHistory, readJournal } from "./journal-file";

/**
 * How long a batch of lines nobody waits for gathers more before it is written and synced (ms): fewer
 * syncs (each costs the run CPU — two trips to the thread pool — and a disk flush), with no request
 * waiting for them (a crash loses at most the lines of this window: their steps are looked up on resume).
 */
export const COMMIT_WINDOW_MS = 10;

/** Lines a batch holds at most before it is written without waiting (about 100 KiB). */
const BATCH_LINES = 512;

/** A completed step. */
export interface StepRecord {
  t: "step";
  unit: string;
  /** Row key and step name: what the step did to which row. */
  row: string;
  step: string;
  /** "created": this run wrote it; "adopted": it was already in the tenant. */
  status: "created" | "adopted";
  /** encodedKey of the record the step created or adopted (client, group, loan, deposit, transaction). */
  key?: string;
  at: string;
}

/** A unit about to send its first request (synced before it does). */
export interface BeginRecord {
  t: "begin";
  unit: string;
  at: string;
}

/** A unit that finished (all its steps done) or failed (with the reason). */
export interface UnitRecord {
  t: "unit";
  unit: string;
  status: "done" | "failed";
  reason?: string;
  at: string;
}

/** The first line of each run. */
export interface RunRecord {
  t: "run";
  plan: string;
  /** SHA-256 of the plan file's text. */
  hash: string;
  resume: boolean;
  at: string;
  pid: number;
  host?: string;
  /** Where it ran (absent in journals of earlier versions). */
  tenant?: TenantBinding;
  /** SHA-256 of the plan and of each source file, by name, and of them all. */
  files?: Record<string, string>;
  content?: string;
  /** Rehearsal kept in a state file: the file's SHA-256 when the run started ("absent": none yet). */
  state?: string;
  /**
   * This journal knows every unit sent anything by its runs (`begin` lines) and started with a tenant
   * holding none of them: units it has no line of are created without a look-up. Absent: look up.
   */
  direct?: boolean;
  /** With `direct`: the scope of the journal's idempotency keys (keys.ts), the same in each of its runs. */
  keys?: string;
}

/** A rehearsal's sandbox state being saved ("saving") and saved ("saved", with the file's hash). */
export interface StateRecord {
  t: "state";
  phase: "saving" | "saved";
  hash?: string;
  at: string;
}

/** One line of the journal. */
export type JournalRecord = StepRecord | UnitRecord | RunRecord | StateRecord | BeginRecord;

/** Options of {@link Journal.open}. */
export interface JournalOptions {
  planId: string;
  planHash: string;
  /** Continue an existing journal (default: move it aside and start a new one). */
  resume: boolean;
  /** The file as already read (resume); read here when absent. */
  history?: JournalHistory;
  /** Resume: keep only the records within the first `keepBytes` bytes (a rehearsal rolled back); default: every whole record. */
  keepBytes?: number;
  /** What the `run` line records besides the plan: where it runs, the content's hashes, the rehearsal state. */
  run?: Pick<RunRecord, "tenant" | "files" | "content" | "state">;
  /**
   * "auto" (default): units the journal can tell were never sent anything are created without a
   * look-up first; "always": every creation is preceded by a look-up (as before; the benchmark's
   * "before"). A new journal replacing an earlier one (moved aside) looks up: the tenant may hold
   * what the earlier runs wrote.
   */
  lookups?: "auto" | "always";
  /** The tenant is known to hold nothing of this plan (a rehearsal sandbox started empty): no look-ups even when an earlier journal was moved aside. */
  emptyTenant?: boolean;
}

/** The journal of one plan (see the module comment). */
export class Journal {
  private readonly steps = new Map<string, StepRecord>();
  private readonly units = new Map<string, UnitRecord>();
  /** Units this journal has a line of (begun, a step, an end). */
  private readonly touched = new Set<string>();
  /** Whether units without a line were never sent anything (see the module comment). */
  private direct = false;
  private scope: string | undefined;
  private pending: string[] = [];
  /** Whether a pending line is waited for (written at once, not after the commit window). */
  private urgent = false;
  /** Ends the commit window under way early. */
  private wake: (() => void) | undefined;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private busy = false;
  private idle: Promise<void> = Promise.resolve();
  private fd: number | undefined;
  private failure: WorkdirError | undefined;
  /** Lines dropped because a crash tore them (cut off the end of the file). */
  tornLines = 0;
  /** Lines of NUL bytes (unwritten blocks of a crash) skipped before the end. */
  debrisLines = 0;
  /** Records dropped because the rehearsal's sandbox state does not hold them (see rehearsal.ts). */
  rolledBack = 0;
  /** Whether a previous run's records were loaded. */
  resumed = false;
  /** Name the previous journal was moved to, when not resuming. */
  movedAside?: string;
  /** Hash of the plan file of the last run recorded (when resuming). */
  previousHash?: string;

  private constructor(readonly path: string) {}

  /** Reads a journal file back without opening it (see journal-file.ts). */
  static read(path: string): JournalHistory {
    return readJournal(path);
  }

  /**
   * Opens (creating) the journal at `path` and writes this run's `run` line (synced). With `resume`,
   * loads what earlier runs recorded, cutting off a torn tail (and, with `keepBytes`, what a rolled
   * back rehearsal recorded); without it, an existing journal is renamed `<path>.<time>.old`.
   * @throws Error when resuming a journal of another plan; JournalCorruptError for a bad line before
   *   good ones; WorkdirError (naming the file) when it cannot be read, moved, cut or written.
   */
  static open(path: string, opts: JournalOptions): Journal {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      throw fsError("create the directory of", "the journal", path, e);
    }
    const j = new Journal(path);
    j.direct = opts.lookups !== "always";
    if (existsSync(path)) {
      if (opts.resume) j.load(opts.history ?? readJournal(path), opts.planId, opts.keepBytes);
      else {
        if (!opts.emptyTenant) j.direct = false;
        j.movedAside = `${path}.${new Date().toISOString().replace(/[:.]/g, "-")}.old`;
        try {
          renameSync(path, j.movedAside);
        } catch (e) {
          throw fsError("move aside", "the journal", path, e);
        }
      }
    }
    try {
      j.fd = openSync(path, "a", 0o600);
    } catch (e) {
      throw fsError("open", "the journal", path, e);
    }
    const run: RunRecord = { t: "run", plan: opts.planId, hash: opts.planHash, resume: opts.resume, at: new Date().toISOString(), pid: process.pid, host: hostname(), ...opts.run, ...(j.direct ? { direct: true as const, keys: (j.scope ??= randomUUID()) } : j.scope ? { keys: j.scope } : {}) };
    try {
      j.writeNow(`${JSON.stringify(run)}\n`);
    } catch (e) {
      closeSync(j.fd);
      j.fd = undefined;
      throw e;
    }
    return j;
  }

  private load(history: JournalHistory, planId: string, keepBytes?: number): void {
    const keep = Math.min(keepBytes ?? history.validEnd, history.validEnd);
    for (const { rec } of history.entries) {
      if (rec.t === "run" && rec.plan !== planId) throw new Error(`${this.path} is the journal of plan "${rec.plan}", not "${planId}"`);
    }
    if (keep < history.size) {
      try {
        const fd = openSync(this.path, "r+");
        try {
          ftruncateSync(fd, keep);
          fdatasyncSync(fd);
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        throw fsError("shorten", "the journal", this.path, e);
      }
    }
    this.tornLines = history.tornLines;
    this.debrisLines = history.debrisLines;
    for (const { rec, end } of history.entries) {
      if (end > keep) {
        if (rec.t === "step" || rec.t === "unit") this.rolledBack++;
        continue;
      }
      if (rec.t === "run") {
        this.previousHash = rec.hash;
        // a run of an earlier version, or one that replaced an earlier journal: units without a line may have been sent
        if (rec.direct !== true) this.direct = false;
        this.scope ??= rec.keys;
      } else if (rec.t === "step") {
        this.steps.set(`${rec.row}|${rec.step}`, rec);
        this.touched.add(rec.unit);
      } else if (rec.t === "unit") {
        this.units.set(rec.unit, rec);
        this.touched.add(rec.unit);
      } else if (rec.t === "begin") this.touched.add(rec.unit);
    }
    this.resumed = true;
  }

  /** The record of a completed step, if an earlier run (or this one) completed it. */
  step(row: string, step: string): StepRecord | undefined {
    return this.steps.get(`${row}|${step}`);
  }

  /** How a unit ended in an earlier run (or this one). */
  unit(unit: string): UnitRecord | undefined {
    return this.units.get(unit);
  }

  /**
   * Whether the unit was never sent anything by a run of this journal, and the tenant held nothing
   * of the plan when the journal began (see the module comment): its records may be created without
   * a look-up. False once {@link recordBegin} was called for it.
   */
  untouched(unit: string): boolean {
    return this.direct && !this.touched.has(unit);
  }

  /**
   * The scope of this journal's idempotency keys (keys.ts): set when it began creating without
   * look-ups (and kept by each of its runs), so that a creation another journal already made is
   * answered "id already in use" (and adopted), not replayed as if this journal had made it; absent:
   * the plan's keys, shared by every run (a journal that looks up before creating).
   */
  get keyScope(): string | undefined {
    return this.scope;
  }

  /** Whether this journal creates the records of untouched units without a look-up (recorded in its `run` lines). */
  get createsDirectly(): boolean {
    return this.direct;
  }

  /** Records that a unit is about to send its first request; resolves once it is on disk (send nothing before). */
  recordBegin(unit: string): Promise<void> {
    this.touched.add(unit);
    return this.append({ t: "begin", unit, at: new Date().toISOString() });
  }

  /** Number of completed steps known. */
  get stepCount(): number {
    return this.steps.size;
  }

  /** The error that failed the journal (a write that could not be done), if one did: nothing more is recorded. */
  get failed(): WorkdirError | undefined {
    return this.failure;
  }

  /** Records a completed step; resolves once it is on disk (its batch may gather for the commit window first). */
  recordStep(rec: Omit<StepRecord, "t" | "at">): Promise<void> {
    const full: StepRecord = { t: "step", ...rec, at: new Date().toISOString() };
    this.steps.set(`${rec.row}|${rec.step}`, full);
    this.touched.add(rec.unit);
    return this.append(full, true);
  }

  /** Records the end of a unit; resolves once it is on disk (a unit done: its batch may gather for the commit window first). */
  recordUnit(unit: string, status: "done" | "failed", reason?: string): Promise<void> {
    const rec: UnitRecord = { t: "unit", unit, status, ...(reason ? { reason } : {}), at: new Date().toISOString() };
    this.units.set(unit, rec);
    this.touched.add(unit);
    return this.append(rec, status === "done");
  }

  /** Records that a rehearsal's sandbox state is being saved, or was saved (with the file's hash); synced before it returns. */
  recordStateNow(phase: "saving" | "saved", hash?: string): void {
    const rec: StateRecord = { t: "state", phase, ...(hash ? { hash } : {}), at: new Date().toISOString() };
    this.writeNow(`${this.takePending()}${JSON.stringify(rec)}\n`);
  }

  /**
   * Writes what is waiting to be written, synchronously (a process about to exit: the lines already
   * handed to the disk finish on their own).
   */
  flushNow(): void {
    const text = this.takePending();
    if (text) this.writeNow(text);
  }

  private takePending(): string {
    const text = this.pending.join("");
    this.pending = [];
    this.urgent = false;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    return text;
  }

  /** Writes and syncs `text` now (blocking). */
  private writeNow(text: string): void {
    if (this.failure) throw this.failure;
    const fd = this.fd;
    if (fd === undefined) throw new WorkdirError(`the journal ${this.path} is closed`, this.path);
    try {
      const buf = Buffer.from(text, "utf8");
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fdatasyncSync(fd);
    } catch (e) {
      this.failure = fsError("write", "the journal", this.path, e);
      throw this.failure;
    }
  }

  /** Adds a line to the next batch; `lazy`: nobody waits for it (the batch may gather for the commit window). */
  private append(rec: JournalRecord, lazy = false): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.pending.push(`${JSON.stringify(rec)}\n`);
    if (!lazy) this.urgent = true;
    if ((!lazy || this.pending.length >= BATCH_LINES) && this.wake) this.wake();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.busy) this.idle = this.pump();
    });
  }

  /** Waits up to the commit window for more lines, unless a pending line is waited for or the batch is full. */
  private async gather(): Promise<void> {
    if (this.urgent || this.pending.length >= BATCH_LINES) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake?.(), COMMIT_WINDOW_MS);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Writes and syncs what is pending, batch after batch, until nothing is left (group commit). */
  private async pump(): Promise<void> {
    this.busy = true;
    try {
      while (this.pending.length) {
        await this.gather();
        if (!this.pending.length) break; // written meanwhile (flushNow)
        const text = this.pending.join("");
        const waiters = this.waiters;
        this.pending = [];
        this.urgent = false;
        this.waiters = [];
        try {
          if (this.failure) throw this.failure;
          const fd = this.fd;
          if (fd === undefined) throw new WorkdirError(`the journal ${this.path} is closed`, this.path);
          const buf = Buffer.from(text, "utf8");
          let off = 0;
          try {
            // into the page cache at once (microseconds: a trip to the thread pool costs more, and wakes a
            // thread that may take the event loop's core); the flush to the disk off the event loop
            while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
            await new Promise<void>((res, rej) => fdatasync(fd, (e) => (e ? rej(e) : res())));
          } catch (e) {
            this.failure ??= fsError("write", "the journal", this.path, e);
            throw this.failure;
          }
          for (const w of waiters) w.resolve();
        } catch (e) {
          for (const w of waiters) w.reject(e as Error);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Ends the commit window under way: the lines pending are written at once (no more are coming soon). */
  commitNow(): void {
    if (!this.pending.length) return;
    this.urgent = true;
    this.wake?.();
  }

  /** Waits for what is pending to be on disk, then closes the file. */
  async close(): Promise<void> {
    this.urgent = true; // no commit window: written now
    this.wake?.();
    while (this.busy || this.pending.length) await (this.busy ? this.idle : this.pump());
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
