/**
 * The workdir: one run at a time (the lock file, who holds it, taking over the lock of a run that is
 * gone), and the files it cannot create or write named with the reason.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { hostname, tmpdir } from "os";
import { join } from "path";
import { FileLock, LockedError, WorkdirError } from "../../lib/migrate";
import { writeReport } from "../../lib/migrate/report";
import { ensureWorkdir } from "../../lib/migrate/workdir";

const lockIn = () => join(mkdtempSync(join(tmpdir(), "mig-lock-")), "run.lock");

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(String(r.stdout));
}

describe("workdir lock", () => {
  it("is held until released, and says who holds it", () => {
    const path = lockIn();
    const lock = FileLock.acquire(path, "the workdir W", { plan: "book", target: "tenant" });
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ pid: process.pid, host: hostname(), plan: "book", target: "tenant" });
    try {
      FileLock.acquire(path, "the workdir W");
      throw new Error("taken twice");
    } catch (e) {
      expect(e).toBeInstanceOf(LockedError);
      expect((e as Error).message).toMatch(new RegExp(`^the workdir W is in use by another run: this process on host ${hostname()}, started \\d{4}-.*, plan book, target tenant\\. Wait for it to end, or use another --workdir\\. If that run is gone \\(its machine crashed\\), delete .*run\\.lock\\.$`));
    }
    lock.release();
    expect(existsSync(path)).toBe(false);
    FileLock.acquire(path, "the workdir W").release();
  });

  it("takes over the lock of a process that is gone (killed, crashed)", () => {
    const path = lockIn();
    writeFileSync(path, JSON.stringify({ pid: deadPid(), host: hostname(), started: "2025-01-01T00:00:00.000Z" }));
    const lock = FileLock.acquire(path, "the workdir W");
    expect(JSON.parse(readFileSync(path, "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  (existsSync("/proc/self/stat") ? it : it.skip)("takes over a lock whose pid now belongs to another process", () => {
    const path = lockIn();
    // our parent is alive, but it is not the process that took this lock (another start time)
    writeFileSync(path, JSON.stringify({ pid: process.ppid, host: hostname(), started: "2025-01-01T00:00:00.000Z", procStart: "1" }));
    FileLock.acquire(path, "the workdir W").release();
  });

  it("does not take over a lock of another host, nor one it cannot read, and says what to delete", () => {
    const path = lockIn();
    writeFileSync(path, JSON.stringify({ pid: 4242, host: "other-host", started: "2025-01-01T00:00:00.000Z", plan: "book" }));
    expect(() => FileLock.acquire(path, "the workdir W")).toThrow(/in use by another run: pid 4242 on host other-host, started 2025-01-01T00:00:00.000Z, plan book\. .*delete .*run\.lock/);
    writeFileSync(path, "");
    expect(() => FileLock.acquire(path, "the workdir W")).toThrow(/^the workdir W is locked by .*run\.lock, which does not say by whom .*delete/);
  });

  it("release leaves alone a lock that is no longer its own", () => {
    const path = lockIn();
    const lock = FileLock.acquire(path, "the workdir W");
    writeFileSync(path, JSON.stringify({ pid: 4242, host: "other-host", started: "x" }));
    lock.release();
    expect(existsSync(path)).toBe(true);
  });
});

describe("workdir files", () => {
  it("creates a missing workdir, and names a parent that is a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "mig-wd-"));
    expect(ensureWorkdir(join(dir, "a", "b"))).toBe(join(dir, "a", "b"));
    writeFileSync(join(dir, "file"), "");
    expect(() => ensureWorkdir(join(dir, "file", "w"))).toThrow(new WorkdirError(`cannot create the workdir ${dir}/file/w: ${dir}/file is a file, not a directory`, ""));
  });

  it("names the report it cannot write", () => {
    const dir = mkdtempSync(join(tmpdir(), "mig-wd-"));
    writeFileSync(join(dir, "file"), "");
    expect(() => writeReport(join(dir, "file", "report.json"), {} as Parameters<typeof writeReport>[1])).toThrow(
      `cannot write the report ${dir}/file/report.json: a part of the path is a file, not a directory (ENOTDIR)`,
    );
  });
});
