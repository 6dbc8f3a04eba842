/**
 * Work a whole `jest` run needs done only once (compiling lib/ takes about 20 s of CPU): the first
 * test file that needs it does it and marks it done in the run's directory (MAMBU_SPEC_RUN_DIR, made
 * by spec/helpers/global-setup.js); the others find the mark. Test files in parallel workers are
 * serialised with a lock directory there. Outside a run made by jest.config.js (no run directory)
 * the work is done every time, as if no test file had done it before.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

/** The directory of this test run, or undefined when the global setup did not make one. */
export function runDir(): string | undefined {
  const dir = process.env.MAMBU_SPEC_RUN_DIR;
  return dir && existsSync(dir) ? dir : undefined;
}

/** Where the mark that `name` was done in this run goes (undefined outside a run directory). */
export function doneMark(name: string): string | undefined {
  const dir = runDir();
  return dir === undefined ? undefined : join(dir, `${name}.done`);
}

/** Whether `name` was already done in this run. */
export function doneInRun(name: string): boolean {
  const mark = doneMark(name);
  return mark !== undefined && existsSync(mark);
}

/** Marks `name` done in this run (nothing outside a run directory). */
export function markDone(name: string): void {
  const mark = doneMark(name);
  if (mark !== undefined) writeFileSync(mark, "");
}

/**
 * Runs `work` unless `name` was done in this run, then marks it done; test files asking at once wait
 * for the first (a bound of `limitMs` only keeps a broken run from hanging: nothing is asserted about
 * time). Outside a run directory `work` simply runs.
 */
export async function oncePerRun(name: string, work: () => Promise<void>, limitMs = 300_000): Promise<void> {
  const dir = runDir();
  if (dir === undefined) return work();
  const lock = join(dir, `${name}.lock`);
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (doneInRun(name)) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for another test file to do ${name}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (doneInRun(name)) return;
    await work();
    markDone(name);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The value `compute` gives, computed once per run (see {@link oncePerRun}): the first test file
 * stores it as JSON in the run's directory, later ones read it back. A value JSON does not carry
 * exactly (checked right after computing: `undefined` members, -0, Infinity, class instances…) is
 * not stored, and each test file computes its own. Outside a run directory `compute` simply runs.
 */
export async function valueOncePerRun<T>(name: string, compute: () => Promise<T>, limitMs = 300_000): Promise<T> {
  const dir = runDir();
  if (dir === undefined) return compute();
  const file = join(dir, `${name}.json`);
  let mine: { value: T } | undefined;
  await oncePerRun(
    name,
    async () => {
      const value = await compute();
      mine = { value };
      const text = JSON.stringify(value);
      if (text !== undefined && isDeepStrictEqual(JSON.parse(text), value)) writeFileSync(file, text);
    },
    limitMs,
  );
  if (mine) return mine.value;
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as T;
  return compute();
}
