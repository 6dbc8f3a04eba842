/**
 * The crash-safe journal of a migration: an append-only JSON lines file recording each completed
 * step (and each finished unit), written with `fdatasync` before the step counts as done. Lines of
 * concurrent steps are committed together (group commit: while one batch is being synced, the next
 * gathers), off the event loop. A process killed mid-write leaves at most a torn last line, which is
 * ignored (and cut off) on resume. No native addon: plain `fs`.
 */
import { closeSync, existsSync, fdatasync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, write } from "fs";
import { dirname } from "path";

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
  hash: string;
  resume: boolean;
  at: string;
  pid: number;
}

/** One line of the journal. */
export type JournalRecord = StepRecord | UnitRecord | RunRecord;

/** Options of {@link Journal.open}. */
export interface JournalOptions {
  planId: string;
  planHash: string;
  /** Continue an existing journal (default: move it aside and start a new one). */
  resume: boolean;
}

/** The journal of one plan (see the module comment). */
export class Journal {
  private readonly steps = new Map<string, StepRecord>();
  private readonly units = new Map<string, UnitRecord>();
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private busy = false;
  private idle: Promise<void> = Promise.resolve();
  private fd: number | undefined;
  /** Lines dropped because they were torn by a crash. */
  tornLines = 0;
  /** Whether a previous run's records were loaded. */
  resumed = false;
  /** Name the previous journal was moved to, when not resuming. */
  movedAside?: string;
  /** Hash of the plan file of the last run recorded (when resuming). */
  previousHash?: string;

  private constructor(readonly path: string) {}

  /**
   * Opens (creating) the journal at `path`. With `resume`, loads what earlier runs recorded (a torn
   * last line is cut off); without it, an existing journal is renamed `<path>.<time>.old`.
   * @throws Error when resuming a journal of another plan or one with a corrupt line before the end.
   */
  static open(path: string, opts: JournalOptions): Journal {
    mkdirSync(dirname(path), { recursive: true });
    const j = new Journal(path);
    if (existsSync(path)) {
      if (opts.resume) j.load(opts.planId);
      else {
        j.movedAside = `${path}.${new Date().toISOString().replace(/[:.]/g, "-")}.old`;
        renameSync(path, j.movedAside);
      }
    }
    j.fd = openSync(path, "a", 0o600);
    j.append({ t: "run", plan: opts.planId, hash: opts.planHash, resume: opts.resume, at: new Date().toISOString(), pid: process.pid }).catch(() => {
      /* a failing disk shows on the first step's record */
    });
    return j;
  }

  private load(planId: string): void {
    const text = readFileSync(this.path, "utf8");
    let end = text.length;
    if (!text.endsWith("\n")) {
      end = text.lastIndexOf("\n") + 1;
      this.tornLines = 1;
      const fd = openSync(this.path, "r+");
      try {
        ftruncateSync(fd, Buffer.byteLength(text.slice(0, end), "utf8"));
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    const lines = text.slice(0, end).split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      let rec: JournalRecord;
      try {
        rec = JSON.parse(line) as JournalRecord;
      } catch {
        throw new Error(`${this.path}:${i + 1}: corrupt journal line (not JSON)`);
      }
      if (rec.t === "run" && rec.plan !== planId) throw new Error(`${this.path} is the journal of plan "${rec.plan}", not "${planId}"`);
      if (rec.t === "run") this.previousHash = rec.hash;
      if (rec.t === "step") this.steps.set(`${rec.row}|${rec.step}`, rec);
      else if (rec.t === "unit") this.units.set(rec.unit, rec);
    });
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

  /** Number of completed steps known. */
  get stepCount(): number {
    return this.steps.size;
  }

  /** Records a completed step; resolves once it is on disk. */
  recordStep(rec: Omit<StepRecord, "t" | "at">): Promise<void> {
    const full: StepRecord = { t: "step", ...rec, at: new Date().toISOString() };
    this.steps.set(`${rec.row}|${rec.step}`, full);
    return this.append(full);
  }

  /** Records the end of a unit; resolves once it is on disk. */
  recordUnit(unit: string, status: "done" | "failed", reason?: string): Promise<void> {
    const rec: UnitRecord = { t: "unit", unit, status, ...(reason ? { reason } : {}), at: new Date().toISOString() };
    this.units.set(unit, rec);
    return this.append(rec);
  }

  private append(rec: JournalRecord): Promise<void> {
    this.pending.push(`${JSON.stringify(rec)}\n`);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.busy) this.idle = this.pump();
    });
  }

  /** Writes and syncs what is pending, batch after batch, until nothing is left (group commit). */
  private async pump(): Promise<void> {
    this.busy = true;
    try {
      while (this.pending.length) {
        const text = this.pending.join("");
        const waiters = this.waiters;
        this.pending = [];
        this.waiters = [];
        try {
          const fd = this.fd;
          if (fd === undefined) throw new Error("the journal is closed");
          const buf = Buffer.from(text, "utf8");
          let off = 0;
          while (off < buf.length) {
            off += await new Promise<number>((res, rej) => write(fd, buf, off, buf.length - off, null, (e, n) => (e ? rej(e) : res(n))));
          }
          await new Promise<void>((res, rej) => fdatasync(fd, (e) => (e ? rej(e) : res())));
          for (const w of waiters) w.resolve();
        } catch (e) {
          for (const w of waiters) w.reject(e as Error);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Waits for what is pending to be on disk, then closes the file. */
  async close(): Promise<void> {
    while (this.busy || this.pending.length) await (this.busy ? this.idle : this.pump());
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
